import { loadBucketState, writeRecord, type BucketState } from './bucket-state';
import { runBuild } from './build';
import { kindOf } from './classify';
import type { Config } from './inputs';
import { planUploads, type Upload } from './plan';
import { nextSequence, planRetention, recordPath, type ReleaseRecord } from './releases';
import { readBuiltFile, scanSite, type SiteFile } from './site-files';
import { isPrivateMap } from './source-maps';
import {
  afterLive,
  errorText,
  invalidate,
  locate,
  restate,
  settle,
  type ReleaseResult,
  type Services,
} from './steps';
import { uploadPhases, type UploadProgress } from './upload';
import { checkApiBaseUrl, readDotenvApiUrls, type KnownApiUrl } from './verify-build';

export async function publish(config: Config, services: Services): Promise<ReleaseResult> {
  const started = Date.now();
  const { bucket, io } = services;
  const location = await locate(config, services);
  // Listing the bucket waits on the network while the build and the hashing keep the CPU busy: overlap them.
  const loading = loadBucketState(bucket, config.prefix, config.concurrency);
  loading.catch(() => undefined); // reported where it is awaited, not as an unhandled rejection meanwhile
  if (config.buildCommand) {
    await services.group(`Build: ${config.buildCommand}`, () =>
      runBuild(config.buildCommand, config.workingDirectory, config.apiBaseUrl),
    );
  }
  const { files, texts, sourceMaps } = await scanSite(config.distDir, config.sourceMaps);
  const state = await loading;
  io.info(
    `s3://${bucket.name}/${config.prefix}: ${state.objects.size} objects, ${state.records.length} recorded releases, ` +
      `live: ${state.live?.id ?? 'none recorded'}.`,
  );
  const apiBaseUrlFoundIn = checkApiBaseUrl(texts, config.apiBaseUrl, await knownApiUrls(config, state));

  const plan = planUploads(files, state.objects, config.prefix);
  io.info(`${plan.uploads.length} files to upload, ${plan.skipped.length} unchanged.`);
  const record: ReleaseRecord = {
    version: 1,
    id: config.releaseId,
    sequence: nextSequence(state.records, config.releaseId),
    publishedAt: new Date().toISOString(),
    apiBaseUrl: config.apiBaseUrl,
    files: files.map(({ path, md5, size }) => ({ path, md5, size })),
    pages: readPages(config, files),
  };
  const readLocal = async (upload: Upload) => readBuiltFile(config.distDir, upload.path, config.sourceMaps);
  const progress: UploadProgress = { done: [] };
  const beforePages = plan.phases.filter((phase) => phase[0]?.kind === 'asset' || phase[0]?.kind === 'file');
  const pages = plan.phases.filter((phase) => !beforePages.includes(phase));
  try {
    await uploadPhases(bucket, beforePages, config.concurrency, readLocal, progress, io);
    // Recorded before its pages go live, so a rollback or retention always knows every key a live index uses.
    await writeRecord(bucket, config.prefix, record);
    await uploadPhases(bucket, pages, config.concurrency, readLocal, progress, io);
  } catch (error) {
    throw halfway(error, progress, plan.uploads.length, state);
  }
  io.info(`Release ${record.id} is live (${progress.done.length} uploads).`);

  const changed = plan.uploads
    .filter((upload) => upload.kind !== 'asset' && !isPrivateMap(upload.path))
    .map((upload) => upload.path);
  const invalidation = await invalidate(services, location, changed, { mode: 'publish', id: record.id });

  const retention = planRetention({
    records: [...state.records.filter((other) => other.id !== record.id), record],
    retain: config.retainReleases,
    protectedIds: [record.id, ...(state.live ? [state.live.id] : [])],
    objectPaths: [...state.objects.keys()],
  });
  await afterLive(record.id, 'deleting what old releases left', 'The next publish deletes it.', async () => {
    await bucket.remove(retention.deletePaths.map((path) => config.prefix + path));
    await bucket.remove(retention.prunedReleases.map((id) => config.prefix + recordPath(id)));
  });

  await settle(config, services, location, invalidation);
  return {
    mode: 'publish',
    releaseId: record.id,
    previousReleaseId: state.live?.id ?? '',
    uploaded: plan.uploads,
    skipped: plan.skipped,
    deletedPaths: retention.deletePaths,
    prunedReleases: retention.prunedReleases,
    invalidation,
    url: location?.url ?? '',
    apiBaseUrlFoundIn,
    sourceMaps: { mode: config.sourceMaps, count: sourceMaps },
    durationMs: Date.now() - started,
  };
}

/** URLs a same-origin build must not call: the project's .env values and the ones earlier releases were built with. */
async function knownApiUrls(config: Config, state: BucketState): Promise<KnownApiUrl[]> {
  const recorded = state.records
    .filter((record) => record.apiBaseUrl)
    .map((record) => ({ url: record.apiBaseUrl, source: `api-base-url of release ${record.id}` }));
  return [...(await readDotenvApiUrls(config.workingDirectory)), ...recorded];
}

function readPages(config: Config, files: readonly SiteFile[]): Record<string, string> {
  const pages: Record<string, string> = {};
  for (const file of files.filter((candidate) => kindOf(candidate.path) === 'page' || kindOf(candidate.path) === 'index')) {
    pages[file.path] = readBuiltFile(config.distDir, file.path, config.sourceMaps).toString('base64');
  }
  return pages;
}

function halfway(error: unknown, progress: UploadProgress, planned: number, state: BucketState): Error {
  const reason = errorText(error);
  const live = state.live ? `release ${state.live.id}` : 'the previous site';
  const message =
    `Publishing stopped after ${progress.done.length} of ${planned} uploads: ${reason}. Nothing was deleted and ` +
    `index.html still serves ${live}; re-run the job to finish (uploaded files are skipped).`;
  return restate(error, message);
}
