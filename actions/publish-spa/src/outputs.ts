import type { Outputs } from '@notebook-ship/action-kit';
import type { ReleaseResult } from './steps';

export type ReleaseOutputs = Outputs<
  | 'release-id'
  | 'previous-release-id'
  | 'uploaded'
  | 'skipped'
  | 'deleted'
  | 'invalidation-id'
  | 'invalidated-paths'
  | 'url'
>;

export function releaseOutputs(result: ReleaseResult): ReleaseOutputs {
  return {
    'release-id': result.releaseId,
    'previous-release-id': result.previousReleaseId,
    uploaded: result.uploaded.length,
    skipped: result.skipped.length,
    deleted: result.deletedPaths.length,
    'invalidation-id': result.invalidation?.id ?? '',
    'invalidated-paths': result.invalidation?.paths.join('\n') ?? '',
    url: result.url,
  };
}
