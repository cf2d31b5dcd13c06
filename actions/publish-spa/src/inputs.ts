import { isAbsolute, resolve } from 'node:path';
import {
  booleanInput,
  ConfigurationError,
  enumInput,
  integerInput,
  optionalInput,
  requiredInput,
} from '@notebook-ship/action-kit';
import { isValidReleaseId } from './releases';
import { SOURCE_MAP_MODES, type SourceMapMode } from './source-maps';

export interface Config {
  bucket: string;
  /** '' or a key prefix ending in '/'. */
  prefix: string;
  distributionId: string;
  awsRegion: string;
  /** Absolute. */
  workingDirectory: string;
  /** Empty: publish the existing build. */
  buildCommand: string;
  /** Absolute. */
  distDir: string;
  /** Empty: the API is on the site's own origin. */
  apiBaseUrl: string;
  releaseId: string;
  retainReleases: number;
  concurrency: number;
  waitForInvalidation: boolean;
  sourceMaps: SourceMapMode;
  /** Empty: publish; a release id or `previous`: restore that release's pages. */
  rollbackTo: string;
}

// S3's naming rules for buckets created since 2018 (lower case, digits, dots, hyphens; 3-63 characters).
const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const bucket = requiredInput('bucket');
  if (!BUCKET.test(bucket)) {
    throw new ConfigurationError(
      'Input "bucket" must be a bucket name (lower-case letters, digits, dots and hyphens), not a URL or ARN; ' +
        `got "${bucket}".`,
    );
  }
  const workspace = env.GITHUB_WORKSPACE || process.cwd();
  const workingDirectory = resolve(workspace, optionalInput('working-directory', 'frontend'));
  const distInput = optionalInput('dist-dir', 'dist');
  const rollbackTo = optionalInput('rollback-to');
  return {
    bucket,
    prefix: normalizePrefix(optionalInput('prefix')),
    distributionId: optionalInput('distribution-id'),
    awsRegion: optionalInput('aws-region'),
    workingDirectory,
    buildCommand: buildCommandInput(),
    distDir: isAbsolute(distInput) ? distInput : resolve(workingDirectory, distInput),
    apiBaseUrl: apiBaseUrlInput(optionalInput('api-base-url')),
    releaseId: rollbackTo ? '' : releaseIdInput(optionalInput('release-id', env.GITHUB_SHA ?? '')),
    retainReleases: integerInput('retain-releases', { fallback: 5, min: 1, max: 100 }),
    concurrency: integerInput('concurrency', { fallback: 16, min: 1, max: 256 }),
    waitForInvalidation: booleanInput('wait-for-invalidation', false),
    sourceMaps: enumInput('source-maps', SOURCE_MAP_MODES, 'private'),
    rollbackTo,
  };
}

// The runner passes every input declared in action.yml, with its default when the workflow omits it, and an input
// set to '' as '' (which must mean "no build", so core.getInput's ''-means-unset cannot be used). Only an absent
// variable (a run outside the runner) falls back to the default here.
function buildCommandInput(): string {
  const value = process.env['INPUT_BUILD-COMMAND'];
  return value === undefined ? 'npm run build' : value.trim();
}

export function normalizePrefix(prefix: string): string {
  const trimmed = prefix.replace(/^\/+|\/+$/g, '');
  if (!trimmed) return '';
  if (trimmed.split('/').some((segment) => segment === '' || segment === '.' || segment === '..')) {
    throw new ConfigurationError(`Input "prefix" must be a key prefix like "site" or "apps/web"; got "${prefix}".`);
  }
  return `${trimmed}/`;
}

function apiBaseUrlInput(value: string): string {
  if (!value) return '';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    url = new URL('invalid:');
  }
  if ((url.protocol !== 'https:' && url.protocol !== 'http:') || url.search || url.hash) {
    throw new ConfigurationError(
      `Input "api-base-url" must be an absolute http(s) URL without query or fragment, such as https://api.example.com, ` +
        `or empty when the API is served from the site's own origin; got "${value}".`,
    );
  }
  return value;
}

function releaseIdInput(value: string): string {
  if (!value) {
    throw new ConfigurationError('No release id: set the "release-id" input (GITHUB_SHA, its default, is not set).');
  }
  if (!isValidReleaseId(value)) {
    throw new ConfigurationError(
      'Input "release-id" must be 1-128 letters, digits, dots, hyphens or underscores, starting with a letter or ' +
        `digit; got "${value}".`,
    );
  }
  return value;
}
