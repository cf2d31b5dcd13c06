import { ConfigurationError } from '@notebook-ship/action-kit';

/** Key folder (under the prefix) of the release records; never part of the site. */
export const RELEASES_DIR = '_releases';
export const ROLLBACK_PREVIOUS = 'previous';

export interface ReleaseFile {
  path: string;
  md5: string;
  size: number;
}

/** What a release needs to be served again: every path it uses and the bytes of its pages. */
export interface ReleaseRecord {
  version: 1;
  id: string;
  /** Publish order: one more than the highest recorded when it was published. */
  sequence: number;
  publishedAt: string;
  apiBaseUrl: string;
  files: ReleaseFile[];
  /** Page path → base64 content; a rollback writes these back, the assets they load are retained. */
  pages: Record<string, string>;
}

const RELEASE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isValidReleaseId(id: string): boolean {
  return RELEASE_ID.test(id);
}

export function recordPath(id: string): string {
  return `${RELEASES_DIR}/${id}.json`;
}

export function releaseIdOfRecordPath(path: string): string | undefined {
  if (!path.startsWith(`${RELEASES_DIR}/`) || !path.endsWith('.json')) return undefined;
  const id = path.slice(RELEASES_DIR.length + 1, -'.json'.length);
  return isValidReleaseId(id) ? id : undefined;
}

export function parseRecord(path: string, text: string): ReleaseRecord {
  let record: Partial<ReleaseRecord>;
  try {
    record = JSON.parse(text) as Partial<ReleaseRecord>;
  } catch {
    record = {};
  }
  if (record.version !== 1 || typeof record.id !== 'string' || typeof record.sequence !== 'number' ||
    !Array.isArray(record.files) || typeof record.pages !== 'object' || record.pages === null) {
    throw new ConfigurationError(
      `The release record ${path} is not one this action wrote (or is damaged): delete it, or restore it from the ` +
        "bucket's versions.",
    );
  }
  return record as ReleaseRecord;
}

/** Newest first. */
export function byNewest(records: readonly ReleaseRecord[]): ReleaseRecord[] {
  return [...records].sort((a, b) => b.sequence - a.sequence);
}

export function nextSequence(records: readonly ReleaseRecord[], id: string): number {
  return Math.max(0, ...records.filter((record) => record.id !== id).map((record) => record.sequence)) + 1;
}

function indexMd5(record: ReleaseRecord): string | undefined {
  return record.files.find((file) => file.path === 'index.html')?.md5;
}

/**
 * The release being served: the newest whose index.html is byte for byte the live one (its ETag). Content, not a
 * pointer object, decides, so it cannot disagree with what visitors get.
 */
export function findLive(records: readonly ReleaseRecord[], liveIndexEtag: string | undefined): ReleaseRecord | undefined {
  if (!liveIndexEtag) return undefined;
  return byNewest(records).find((record) => indexMd5(record) === liveIndexEtag);
}

/** `previous`: the newest release older than the live one that serves a different index (else nothing changes). */
export function pickRollbackTarget(
  records: readonly ReleaseRecord[],
  live: ReleaseRecord | undefined,
  wanted: string,
): ReleaseRecord {
  const available = byNewest(records).map((record) => record.id);
  const list = available.length ? available.join(', ') : 'none';
  if (wanted !== ROLLBACK_PREVIOUS) {
    const record = records.find((candidate) => candidate.id === wanted);
    if (!record) {
      throw new ConfigurationError(
        `Release "${wanted}" is not among the retained releases (newest first: ${list}); only these can be restored.`,
      );
    }
    return record;
  }
  if (!live) {
    throw new ConfigurationError(
      `Cannot tell which release is live (index.html matches no recorded release), so "previous" is ambiguous: ` +
        `set "rollback-to" to one of: ${list}.`,
    );
  }
  const target = byNewest(records).find(
    (record) => record.sequence < live.sequence && indexMd5(record) !== indexMd5(live),
  );
  if (!target) {
    throw new ConfigurationError(
      `No retained release before the live one ("${live.id}") serves a different site; retained, newest first: ${list}.`,
    );
  }
  return target;
}

export interface RetentionInput {
  /** Every record, the one just published included. */
  records: readonly ReleaseRecord[];
  retain: number;
  /** Kept whatever their age: the release just published and the one it replaced (open tabs still load its assets). */
  protectedIds: readonly string[];
  /** Paths of the site objects in the bucket (release records excluded). */
  objectPaths: readonly string[];
}

export interface RetentionPlan {
  keptReleases: string[];
  prunedReleases: string[];
  deletePaths: string[];
}

/**
 * Deletes what no kept release uses. Objects no record mentions (left by an earlier tool, or by a publish that
 * failed before recording) count as one release older than every recorded one, so they go once `retain` recorded
 * releases exist and never before.
 */
export function planRetention({ records, retain, protectedIds, objectPaths }: RetentionInput): RetentionPlan {
  const newest = byNewest(records);
  const kept = newest.filter((record, rank) => rank < retain || protectedIds.includes(record.id));
  const keptPaths = new Set(kept.flatMap((record) => record.files.map((file) => file.path)));
  const recordedPaths = new Set(records.flatMap((record) => record.files.map((file) => file.path)));
  const untrackedExpired = records.length >= retain;
  return {
    keptReleases: kept.map((record) => record.id),
    prunedReleases: newest.filter((record) => !kept.includes(record)).map((record) => record.id),
    deletePaths: objectPaths.filter(
      (path) => !keptPaths.has(path) && (recordedPaths.has(path) || untrackedExpired),
    ),
  };
}
