import { describe, expect, it } from '@jest/globals';
import { buildxArgs, ociLabels, type BuildRequest } from '../src/buildx-args';

const URI = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook';

const request: BuildRequest = {
  builder: 'notebook-ship',
  context: 'backend',
  dockerfile: 'backend/Dockerfile',
  platforms: ['linux/amd64'],
  imageRefs: [`${URI}:abc123`, `${URI}:latest`],
  buildArgs: new Map([['PYTHON_VERSION', '3.11'], ['EXTRA', 'a=b c']]),
  labels: new Map([['org.opencontainers.image.revision', 'abc123']]),
  provenance: false,
  cacheRef: `${URI}:buildcache`,
  push: true,
  metadataFile: '/tmp/run/metadata.json',
};

describe('buildxArgs', () => {
  it('builds, tags, caches in the registry and pushes, with the context last', () => {
    expect(buildxArgs(request)).toEqual([
      'buildx', 'build',
      '--builder', 'notebook-ship',
      '--file', 'backend/Dockerfile',
      '--platform', 'linux/amd64',
      '--tag', `${URI}:abc123`,
      '--tag', `${URI}:latest`,
      '--build-arg', 'PYTHON_VERSION=3.11',
      '--build-arg', 'EXTRA=a=b c',
      '--label', 'org.opencontainers.image.revision=abc123',
      '--provenance=false',
      '--cache-from', `type=registry,ref=${URI}:buildcache`,
      '--cache-to', `type=registry,ref=${URI}:buildcache,mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true`,
      '--push',
      '--metadata-file', '/tmp/run/metadata.json',
      '--progress=plain',
      'backend',
    ]);
  });

  it('leaves out the builder, the cache and the push when they are off, and joins several platforms', () => {
    const args = buildxArgs({
      ...request,
      builder: undefined,
      cacheRef: undefined,
      push: false,
      provenance: true,
      platforms: ['linux/amd64', 'linux/arm64'],
    });
    expect(args).not.toContain('--builder');
    expect(args).not.toContain('--cache-from');
    expect(args).not.toContain('--cache-to');
    expect(args).not.toContain('--push');
    expect(args).toContain('--provenance=true');
    expect(args[args.indexOf('--platform') + 1]).toBe('linux/amd64,linux/arm64');
  });
});

describe('ociLabels', () => {
  it('records the commit, the repository and the build time', () => {
    const labels = ociLabels(
      { revision: 'abc123', url: 'https://github.com/acme/notebook' },
      new Date('2025-03-04T05:06:07.000Z'),
    );
    expect([...labels]).toEqual([
      ['org.opencontainers.image.revision', 'abc123'],
      ['org.opencontainers.image.source', 'https://github.com/acme/notebook'],
      ['org.opencontainers.image.created', '2025-03-04T05:06:07.000Z'],
    ]);
  });

  it('leaves out what it does not know outside a workflow', () => {
    expect([...ociLabels({}, new Date(0)).keys()]).toEqual(['org.opencontainers.image.created']);
  });
});
