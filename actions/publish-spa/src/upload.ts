import type { Io } from '@notebook-ship/action-kit';
import type { Upload } from './plan';
import { forEachLimit } from './pool';
import type { SiteBucket } from './s3-api';

export interface UploadProgress {
  /** Uploads that completed, in completion order. */
  done: Upload[];
}

/**
 * Uploads phase after phase, each with bounded concurrency; a phase starts only when the previous one completed,
 * so nothing is live before what it loads. Throttling (503 SlowDown) is retried by the SDK's retry strategy.
 */
export async function uploadPhases(
  bucket: SiteBucket,
  phases: readonly Upload[][],
  concurrency: number,
  load: (upload: Upload) => Promise<Buffer>,
  progress: UploadProgress,
  io: Pick<Io, 'debug'>,
): Promise<void> {
  for (const phase of phases) {
    await forEachLimit(phase, concurrency, async (upload) => {
      await bucket.put({ ...upload, body: await load(upload) });
      progress.done.push(upload);
      io.debug(`uploaded ${upload.key} (${upload.contentType}, ${upload.cacheControl})`);
    });
  }
}
