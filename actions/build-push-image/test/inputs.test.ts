import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { useInputs } from '@notebook-ship/action-kit/testing';
import { readConfig } from '../src/inputs';

const withInputs = useInputs({ beforeEach, afterEach });

const SHA = '0123456789abcdef0123456789abcdef01234567';
const github = { GITHUB_SHA: SHA, GITHUB_SERVER_URL: 'https://github.example.com', GITHUB_REPOSITORY: 'acme/notebook' };

describe('readConfig', () => {
  it('defaults to the backend context, the commit SHA tag, linux/amd64, cache, skip and push on', () => {
    withInputs({ repository: 'notebook' });
    expect(readConfig(github)).toEqual({
      repository: { name: 'notebook' },
      region: undefined,
      context: 'backend',
      dockerfile: 'backend/Dockerfile',
      tags: [SHA],
      buildArgs: new Map(),
      platforms: ['linux/amd64'],
      cache: { tag: 'buildcache' },
      skipIfExists: true,
      push: true,
      provenance: false,
      builder: undefined,
      source: { revision: SHA, url: 'https://github.example.com/acme/notebook' },
    });
  });

  it('reads every input', () => {
    withInputs({
      repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/notebook',
      context: 'app',
      dockerfile: 'docker/app.Dockerfile',
      tags: `${SHA}\nlatest, v1`,
      'build-args': 'PYTHON=3.11\nLABEL=a=b',
      platform: 'linux/amd64,linux/arm64',
      'cache-ref': 'cache:notebook',
      'skip-if-exists': 'false',
      push: 'false',
      provenance: 'true',
      builder: 'builder-1',
    });
    expect(readConfig(github)).toMatchObject({
      repository: { name: 'team/notebook', registryId: '123456789012', region: 'eu-west-1' },
      region: 'eu-west-1',
      context: 'app',
      dockerfile: 'docker/app.Dockerfile',
      tags: [SHA, 'latest', 'v1'],
      buildArgs: new Map([['PYTHON', '3.11'], ['LABEL', 'a=b']]),
      platforms: ['linux/amd64', 'linux/arm64'],
      cache: { repository: 'cache', tag: 'notebook' },
      skipIfExists: false,
      push: false,
      provenance: true,
      builder: 'builder-1',
    });
  });

  it('turns the cache off', () => {
    withInputs({ repository: 'notebook', cache: 'false' });
    expect(readConfig(github).cache).toBeUndefined();
  });

  it('needs a tag when there is no commit SHA', () => {
    withInputs({ repository: 'notebook' });
    expect(() => readConfig({})).toThrow('Input "tags" is empty and GITHUB_SHA is not set: name at least one tag.');
  });

  it('refuses to decide "already built" on a tag that moves', () => {
    withInputs({ repository: 'notebook', tags: `latest\n${SHA}` });
    expect(() => readConfig(github)).toThrow(
      'The first tag "latest" moves with every build, so "skip-if-exists" would skip real changes: put the commit ' +
        'SHA first (e.g. ${{ github.sha }}), or set skip-if-exists: false.',
    );
    withInputs({ 'skip-if-exists': 'false' });
    expect(readConfig(github).tags).toEqual(['latest', SHA]);
  });

  it('refuses a cache tag that is also an image tag', () => {
    withInputs({ repository: 'notebook', tags: `${SHA}\nbuildcache` });
    expect(() => readConfig(github)).toThrow(
      'The cache tag "buildcache" is also an image tag: the cache would overwrite the image. Change "cache-ref".',
    );
  });

  it('refuses an aws-region that contradicts the repository URI', () => {
    withInputs({ repository: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/notebook', 'aws-region': 'us-east-1' });
    expect(() => readConfig(github)).toThrow(
      'Input "aws-region" is us-east-1 but the repository URI is in eu-west-1: drop one of them.',
    );
  });

  it('names a missing repository and bad booleans', () => {
    expect(() => readConfig(github)).toThrow('Input "repository" is required');
    withInputs({ repository: 'notebook', push: 'maybe' });
    expect(() => readConfig(github)).toThrow('Input "push" must be true or false; got "maybe".');
  });
});
