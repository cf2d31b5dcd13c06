import { describe, expect, it } from '@jest/globals';
import { parseCacheRef, parseRepository, validatePlatforms, validateTags } from '../src/references';

describe('parseRepository', () => {
  it('takes a bare repository name, namespaces included', () => {
    expect(parseRepository('notebook')).toEqual({ name: 'notebook' });
    expect(parseRepository('team/notebook-app_1.2')).toEqual({ name: 'team/notebook-app_1.2' });
  });

  it('reads account and region from a full URI, in China and FIPS partitions too', () => {
    expect(parseRepository('123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/notebook')).toEqual({
      name: 'team/notebook',
      registryId: '123456789012',
      region: 'eu-west-1',
    });
    expect(parseRepository('123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/app')).toMatchObject({
      region: 'cn-north-1',
    });
    expect(parseRepository('123456789012.dkr.ecr-fips.us-gov-west-1.amazonaws.com/app')).toMatchObject({
      region: 'us-gov-west-1',
    });
  });

  it('refuses a tag or a digest, pointing at the tags input', () => {
    expect(() => parseRepository('notebook:latest')).toThrow(
      'Input "repository" must not carry a tag or digest; got "notebook:latest". Put tags in the "tags" input.',
    );
    expect(() => parseRepository(`123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:${'a'.repeat(64)}`)).toThrow(
      /must not carry a tag or digest/,
    );
  });

  it('refuses registries that are not ECR and names ECR cannot hold', () => {
    expect(() => parseRepository('ghcr.io/acme/notebook')).toThrow('(registry "ghcr.io" is not ECR)');
    expect(() => parseRepository('Notebook')).toThrow(
      'Input "repository" must name an ECR repository (2 to 256 lower-case letters, digits, and . _ - / between them); got "Notebook".',
    );
    expect(() => parseRepository('a')).toThrow(/must name an ECR repository/);
    expect(() => parseRepository('team//app')).toThrow(/must name an ECR repository/);
  });
});

describe('validateTags', () => {
  it('keeps the order and drops repeats', () => {
    expect(validateTags(['abc', 'latest', 'abc', 'v1.2.3_rc-1'])).toEqual(['abc', 'latest', 'v1.2.3_rc-1']);
  });

  it('names the first invalid tag', () => {
    expect(() => validateTags(['ok', '-bad'])).toThrow(
      'Input "tags" holds an invalid tag "-bad": up to 128 letters, digits, _ . and -, not starting with . or -.',
    );
    expect(() => validateTags(['x'.repeat(129)])).toThrow(/invalid tag/);
    expect(() => validateTags(['feature/x'])).toThrow(/invalid tag "feature\/x"/);
  });
});

describe('validatePlatforms', () => {
  it('defaults to linux/amd64 and accepts variants', () => {
    expect(validatePlatforms([])).toEqual(['linux/amd64']);
    expect(validatePlatforms(['linux/amd64', 'linux/arm64/v8', 'linux/amd64'])).toEqual(['linux/amd64', 'linux/arm64/v8']);
  });

  it('refuses what is not os/arch', () => {
    expect(() => validatePlatforms(['amd64'])).toThrow(
      'Input "platform" must list platforms like linux/amd64 or linux/arm64/v8; got "amd64".',
    );
  });
});

describe('parseCacheRef', () => {
  it('reads a tag of the image repository or a separate repository and tag', () => {
    expect(parseCacheRef('buildcache')).toEqual({ tag: 'buildcache' });
    expect(parseCacheRef('cache/notebook:main')).toEqual({ repository: 'cache/notebook', tag: 'main' });
  });

  it('refuses anything else', () => {
    expect(() => parseCacheRef('cache:')).toThrow(
      'Input "cache-ref" must be a tag like "buildcache" or "<repository>:<tag>"; got "cache:".',
    );
    expect(() => parseCacheRef('Cache:tag')).toThrow(/Input "cache-ref" must name an ECR repository/);
  });
});
