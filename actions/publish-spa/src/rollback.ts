import { ConfigurationError } from '@notebook-ship/action-kit';
import { loadBucketState } from './bucket-state';
import type { Config } from './inputs';
import { inPhases, toUpload } from './plan';
import { pickRollbackTarget } from './releases';
import { count } from './summary';
import { invalidate, locate, settle, type ReleaseResult, type Services } from './steps';
import { uploadPhases } from './upload';

/**
 * Serves an earlier release again by writing back its recorded pages (index.html last). Its assets are still in
 * the bucket because retention keeps every object a retained release uses; that is checked before anything changes.
 */
export async function rollback(config: Config, services: Services): Promise<ReleaseResult> {
  const started = Date.now();
  const location = await locate(config, services);
  const state = await loadBucketState(services.bucket, config.prefix, config.concurrency);
  const target = pickRollbackTarget(state.records, state.live, config.rollbackTo);
  const pages = target.files
    .filter((file) => target.pages[file.path] !== undefined)
    .map((file) => toUpload(file, config.prefix));
  const missing = target.files
    .filter((file) => !pages.some((page) => page.path === file.path) && !state.objects.has(file.path))
    .map((file) => file.path);
  if (missing.length) {
    throw new ConfigurationError(
      `Release ${target.id} cannot be restored: ${missing.length} of its files are gone from the bucket ` +
        `(${missing.slice(0, 5).join(', ')}${missing.length > 5 ? ', ...' : ''}). Publish it again instead.`,
    );
  }
  const from = state.live?.id ?? 'an unrecorded release';
  services.io.info(`Rolling back from ${from} to ${target.id} (${count(pages.length, 'page')}).`);
  const phases = inPhases(pages);
  const bodies = new Map(pages.map((page) => [page.path, Buffer.from(target.pages[page.path] as string, 'base64')]));
  const load = async (page: { path: string }) => bodies.get(page.path) as Buffer;
  await uploadPhases(services.bucket, phases, config.concurrency, load, { done: [] }, services.io);
  const invalidation = await invalidate(services, location, pages.map((page) => page.path), {
    mode: 'rollback',
    id: target.id,
  });
  await settle(config, services, location, invalidation);
  return {
    mode: 'rollback',
    releaseId: target.id,
    previousReleaseId: state.live?.id ?? '',
    uploaded: phases.flat(),
    skipped: [],
    deletedPaths: [],
    prunedReleases: [],
    invalidation,
    url: location?.url ?? '',
    apiBaseUrlFoundIn: [],
    durationMs: Date.now() - started,
  };
}
