import { describe, expect, it } from '@jest/globals';
import { parseBuildMetadata } from '../src/metadata';

const DIGEST = `sha256:${'e'.repeat(64)}`;

describe('parseBuildMetadata', () => {
  it('reads the image digest and the build record of a push', () => {
    const text = JSON.stringify({
      'buildx.build.ref': 'notebook-ship/notebook-ship0/abc',
      'containerimage.config.digest': `sha256:${'c'.repeat(64)}`,
      'containerimage.descriptor': { mediaType: 'application/vnd.oci.image.manifest.v1+json', digest: DIGEST, size: 1 },
      'containerimage.digest': DIGEST,
      'image.name': 'r/notebook:abc,r/notebook:latest',
    });
    expect(parseBuildMetadata(text)).toEqual({ digest: DIGEST, buildRef: 'notebook-ship/notebook-ship0/abc' });
  });

  it('has no digest for a build that was not pushed', () => {
    expect(parseBuildMetadata('{"buildx.build.ref":"b/b0/x"}')).toEqual({ digest: undefined, buildRef: 'b/b0/x' });
  });

  it('refuses a file that is not JSON, not an object, or holds a malformed digest', () => {
    expect(() => parseBuildMetadata('oops')).toThrow('buildx wrote a metadata file that is not JSON: oops');
    expect(() => parseBuildMetadata('null')).toThrow('buildx wrote a metadata file that is not an object.');
    expect(() => parseBuildMetadata('{"containerimage.digest":"sha256:abc"}')).toThrow(
      'buildx reported an image digest that is not sha256:<64 hex>: "sha256:abc"',
    );
  });
});
