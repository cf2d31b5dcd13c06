import { describe, expect, it } from '@jest/globals';
import type { ExistingImage } from '../src/ecr-api';
import { planImage } from '../src/plan';

const image: ExistingImage = {
  digest: `sha256:${'1'.repeat(64)}`,
  manifest: '{}',
  mediaType: 'application/vnd.oci.image.manifest.v1+json',
  tags: ['abc123', 'old'],
};

describe('planImage', () => {
  it('builds when nothing carries the first tag yet, or when skipping is off', () => {
    expect(planImage({ tags: ['abc123'], skipIfExists: true, push: true }, undefined)).toEqual({
      kind: 'build',
      reason: 'no image is tagged "abc123" yet',
    });
    expect(planImage({ tags: ['abc123'], skipIfExists: false, push: true }, image)).toEqual({
      kind: 'build',
      reason: 'skip-if-exists is off',
    });
  });

  it('reuses the existing image and adds only the missing tags', () => {
    expect(planImage({ tags: ['abc123', 'latest', 'old'], skipIfExists: true, push: true }, image)).toEqual({
      kind: 'reuse',
      image,
      present: ['abc123', 'old'],
      add: ['latest'],
      withheld: [],
    });
  });

  it('adds nothing when pushing is off', () => {
    expect(planImage({ tags: ['abc123', 'latest'], skipIfExists: true, push: false }, image)).toMatchObject({
      kind: 'reuse',
      add: [],
      withheld: ['latest'],
    });
  });
});
