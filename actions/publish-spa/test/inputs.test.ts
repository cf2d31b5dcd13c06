import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { useInputs } from '@notebook-ship/action-kit/testing';
import { normalizePrefix, readConfig } from '../src/inputs';

const withInputs = useInputs({ beforeEach, afterEach });
const env: NodeJS.ProcessEnv = { GITHUB_WORKSPACE: '/work/repo', GITHUB_SHA: 'a'.repeat(40) };

describe('readConfig', () => {
  it('applies the documented defaults', () => {
    withInputs({ bucket: 'site-bucket' });
    expect(readConfig(env)).toEqual({
      bucket: 'site-bucket',
      prefix: '',
      distributionId: '',
      awsRegion: '',
      workingDirectory: '/work/repo/frontend',
      buildCommand: 'npm run build',
      distDir: '/work/repo/frontend/dist',
      apiBaseUrl: '',
      releaseId: 'a'.repeat(40),
      retainReleases: 5,
      concurrency: 16,
      waitForInvalidation: false,
      sourceMaps: 'private',
      rollbackTo: '',
    });
  });

  it('reads every input', () => {
    withInputs({
      bucket: 'site-bucket',
      prefix: '/web/app/',
      'distribution-id': 'E123',
      'working-directory': 'apps/web',
      'build-command': 'npm ci && npm run build',
      'dist-dir': 'build',
      'api-base-url': 'https://api.example.com',
      'release-id': 'v1.2.3',
      'retain-releases': '3',
      concurrency: '4',
      'wait-for-invalidation': 'true',
      'source-maps': 'Skip',
    });
    expect(readConfig(env)).toMatchObject({
      prefix: 'web/app/',
      distributionId: 'E123',
      workingDirectory: '/work/repo/apps/web',
      buildCommand: 'npm ci && npm run build',
      distDir: '/work/repo/apps/web/build',
      apiBaseUrl: 'https://api.example.com',
      releaseId: 'v1.2.3',
      retainReleases: 3,
      concurrency: 4,
      waitForInvalidation: true,
      sourceMaps: 'skip',
    });
  });

  it('treats an empty build command as "publish the existing build"', () => {
    withInputs({ bucket: 'site-bucket', 'build-command': '' });
    expect(readConfig(env).buildCommand).toBe('');
  });

  it('needs no release id to roll back', () => {
    withInputs({ bucket: 'site-bucket', 'rollback-to': 'previous' });
    expect(readConfig({ ...env, GITHUB_SHA: undefined })).toMatchObject({ rollbackTo: 'previous', releaseId: '' });
  });

  it.each([
    [{ bucket: '' }, 'Input "bucket" is required'],
    [{ bucket: 's3://site-bucket' }, 'Input "bucket" must be a bucket name'],
    [{ bucket: 'b-1', 'api-base-url': 'api.example.com' }, 'Input "api-base-url" must be an absolute http(s) URL'],
    [{ bucket: 'b-1', 'api-base-url': 'https://api.example.com/?v=1' }, 'without query or fragment'],
    [{ bucket: 'b-1', 'release-id': '../x' }, 'Input "release-id" must be 1-128 letters'],
    [{ bucket: 'b-1', 'retain-releases': '0' }, 'Input "retain-releases" must be a whole number from 1 to 100'],
    [{ bucket: 'b-1', concurrency: 'many' }, 'Input "concurrency" must be a whole number from 1 to 256'],
    [{ bucket: 'b-1', prefix: 'a/../b' }, 'Input "prefix" must be a key prefix'],
    [{ bucket: 'b-1', 'source-maps': 'hidden' }, 'Input "source-maps" must be one of "publish", "private", "skip"'],
  ])('rejects %j', (inputs, message) => {
    withInputs(inputs);
    expect(() => readConfig(env)).toThrow(message);
  });

  it('asks for a release id when GITHUB_SHA is missing', () => {
    withInputs({ bucket: 'site-bucket' });
    expect(() => readConfig({ ...env, GITHUB_SHA: undefined })).toThrow('No release id: set the "release-id" input');
  });
});

describe('normalizePrefix', () => {
  it('ends a prefix with one slash and leaves the root empty', () => {
    expect(normalizePrefix('')).toBe('');
    expect(normalizePrefix('/')).toBe('');
    expect(normalizePrefix('web')).toBe('web/');
    expect(normalizePrefix('/a/b//')).toBe('a/b/');
  });
});
