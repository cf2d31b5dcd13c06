import { describe, expect, it } from '@jest/globals';
import { cacheStats } from '../src/build-log';

// Shaped like `docker buildx build --progress=plain` output of a two-stage, two-platform build.
const LOG = `#0 building with "notebook-ship" instance using docker-container driver

#1 [internal] load build definition from Dockerfile
#1 transferring dockerfile: 512B done
#1 DONE 0.0s

#2 [linux/arm64 internal] load metadata for docker.io/library/python:3.11-slim
#2 DONE 0.6s

#3 importing cache manifest from 123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook:buildcache
#3 inferred cache manifest type: application/vnd.oci.image.manifest.v1+json done
#3 DONE 0.4s

#4 [linux/amd64 builder 1/3] FROM docker.io/library/python:3.11-slim@sha256:abc
#4 CACHED

#5 [linux/amd64 builder 2/3] COPY requirements.lock .
#5 CACHED

#6 [linux/amd64 builder 3/3] RUN pip install -r requirements.lock
#6 0.512 Collecting fastapi
#6 DONE 12.3s

#7 [linux/amd64 stage-1 2/2] COPY --from=builder /venv /venv
#7 DONE 0.9s

#6 [linux/amd64 builder 3/3] RUN pip install -r requirements.lock
#6 3.1 Installing collected packages

#8 exporting to image
#8 DONE 2.0s

#9 exporting cache to registry
#9 preparing build cache for export
#9 DONE 1.7s
`;

describe('cacheStats', () => {
  it('counts Dockerfile steps once and the cached ones, and sees the cache read and written', () => {
    expect(cacheStats(LOG)).toEqual({ steps: 4, cached: 2, imported: true, exported: true });
  });

  it('tells a missing cache and a failed export apart from success', () => {
    const log = [
      '#2 importing cache manifest from r/notebook:buildcache',
      '#2 ERROR: r/notebook:buildcache: not found',
      '#3 [1/2] FROM python',
      '#3 DONE 1.0s',
      '#9 exporting cache to registry',
      '#9 ERROR: failed to push cache: unexpected status 403 Forbidden',
    ].join('\r\n');
    expect(cacheStats(log)).toEqual({
      steps: 1,
      cached: 0,
      imported: false,
      exported: false,
      exportError: 'failed to push cache: unexpected status 403 Forbidden',
    });
  });

  it('finds nothing in a log without steps', () => {
    expect(cacheStats('')).toEqual({ steps: 0, cached: 0, imported: false, exported: false });
  });
});
