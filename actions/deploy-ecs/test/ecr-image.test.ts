import { describe, expect, it } from '@jest/globals';
import { describeEcrImage, ecrImageOf } from '../src/ecr-image';

const DIGEST = `sha256:${'a'.repeat(64)}`;

describe('ecrImageOf', () => {
  it('reads the account, region and repository from an ECR host, with the tag, or "latest" without one', () => {
    expect(ecrImageOf('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/notebook:1.2.3')).toEqual({
      registryId: '123456789012',
      region: 'eu-west-1',
      repositoryName: 'team/notebook',
      imageId: { imageTag: '1.2.3' },
    });
    expect(ecrImageOf('123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook')?.imageId).toEqual({ imageTag: 'latest' });
  });

  it('asks for the digest when one is pinned, even beside a tag', () => {
    expect(ecrImageOf(`123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook@${DIGEST}`)?.imageId).toEqual({ imageDigest: DIGEST });
    expect(ecrImageOf(`123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook:v1@${DIGEST}`)?.imageId).toEqual({ imageDigest: DIGEST });
  });

  it('knows the China and FIPS hosts', () => {
    expect(ecrImageOf('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/notebook:1')).toMatchObject({
      region: 'cn-north-1',
      repositoryName: 'notebook',
    });
    expect(ecrImageOf('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/notebook:1')).toMatchObject({
      registryId: '123456789012',
      region: 'us-gov-west-1',
    });
  });

  it('leaves other registries alone', () => {
    for (const image of [
      'ghcr.io/acme/notebook:1',
      'nginx:1.27',
      'docker.io/library/nginx',
      'public.ecr.aws/nginx/nginx:1',
      '123456789012.dkr.ecr.us-east-1.amazonaws.com.evil.example/notebook:1',
      '12345.dkr.ecr.us-east-1.amazonaws.com/notebook:1',
    ]) {
      expect(ecrImageOf(image)).toBeUndefined();
    }
  });

  it('names the image asked for', () => {
    const image = ecrImageOf('123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook:1.2.3');
    expect(image && describeEcrImage(image)).toBe('notebook:1.2.3 (registry 123456789012, us-east-1)');
  });
});
