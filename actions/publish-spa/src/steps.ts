import { ConfigurationError, type Io } from '@notebook-ship/action-kit';
import { callerReference, invalidationPaths, locateSite, waitForInvalidation, type SiteLocation } from './cdn';
import type { Cdn } from './cloudfront-api';
import type { Config } from './inputs';
import type { Upload } from './plan';
import type { SiteBucket } from './s3-api';
import type { SourceMapMode } from './source-maps';

// The steps a publish and a rollback share, and what both report.

export interface Services {
  bucket: SiteBucket;
  /** Present when a distribution is given. */
  cdn: Cdn | undefined;
  env: NodeJS.ProcessEnv;
  io: Io;
  /** Folds what `run` prints (the build's output) into a named, collapsed part of the log. */
  group: <T>(name: string, run: () => Promise<T>) => Promise<T>;
}

export interface Invalidation {
  id: string;
  paths: string[];
  /** Set when the action waited for it. */
  status?: string;
}

/** What a publish or a rollback did, for outputs and the job summary. */
export interface ReleaseResult {
  mode: 'publish' | 'rollback';
  releaseId: string;
  previousReleaseId: string;
  uploaded: Upload[];
  skipped: { path: string; size: number }[];
  deletedPaths: string[];
  prunedReleases: string[];
  invalidation: Invalidation | undefined;
  url: string;
  /** Files in which the requested API base URL was found. */
  apiBaseUrlFoundIn: string[];
  /** Publish only: what was done with the build's source maps, and how many it had. */
  sourceMaps?: { mode: SourceMapMode; count: number };
  durationMs: number;
}

/** Where the distribution serves the site; checked before anything changes. */
export async function locate(config: Config, services: Services): Promise<SiteLocation | undefined> {
  if (!services.cdn) return undefined;
  return locateSite(await services.cdn.describe(config.distributionId), config.bucket, config.prefix);
}

/**
 * Invalidates the viewer paths of the changed site paths, once the release is live; nothing to do without a
 * distribution or changes.
 */
export async function invalidate(
  services: Services,
  location: SiteLocation | undefined,
  changedPaths: readonly string[],
  release: { mode: ReleaseResult['mode']; id: string },
): Promise<Invalidation | undefined> {
  const { cdn, env, io } = services;
  if (!location || !cdn || changedPaths.length === 0) return undefined;
  return afterLive(release.id, 'the CloudFront invalidation', INVALIDATION_FAILED, async () => {
    const paths = invalidationPaths(changedPaths, location.basePath);
    const id = await cdn.invalidate(location.distributionId, paths, callerReference(release.mode, release.id, env));
    io.info(`Invalidation ${id} on ${location.distributionId}: ${paths.join(' ')}`);
    return { id, paths };
  });
}

// CloudFront usually finishes in well under a minute; ten minutes means something is wrong on its side.
const WAIT = { intervalMs: 5_000, timeoutMs: 10 * 60_000 };

export async function settle(
  config: Config,
  services: Services,
  location: SiteLocation | undefined,
  invalidation: Invalidation | undefined,
): Promise<void> {
  if (!config.waitForInvalidation || !invalidation || !location || !services.cdn) return;
  invalidation.status = await waitForInvalidation(services.cdn, location.distributionId, invalidation.id, WAIT);
  services.io.info(`Invalidation ${invalidation.id}: ${invalidation.status}.`);
}

/** An error as one sentence, keeping the AWS error name (AccessDenied, SlowDown, ...) in front. */
export function errorText(error: unknown): string {
  const named = error instanceof Error && error.name && error.name !== 'Error' && !(error instanceof ConfigurationError);
  const text = error instanceof Error ? `${named ? `${error.name}: ` : ''}${error.message}` : String(error);
  return text.replace(/\.$/, '');
}

/** The same kind of error (one the user can fix, or not) with a message that says where the run stopped. */
export function restate(error: unknown, message: string): Error {
  return error instanceof ConfigurationError
    ? new ConfigurationError(message, { cause: error })
    : new Error(message, { cause: error });
}

/** A step after the new pages went live: its failure must not read as if the release had not been published. */
export async function afterLive<T>(
  releaseId: string,
  step: string,
  consequence: string,
  run: () => Promise<T>,
): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw restate(error, `Release ${releaseId} is live, but ${step} failed: ${errorText(error)}. ${consequence}`);
  }
}

const INVALIDATION_FAILED =
  'CloudFront may serve the previous pages until its cache expires: re-run the job, ' +
  'or invalidate /index.html and / by hand.';
