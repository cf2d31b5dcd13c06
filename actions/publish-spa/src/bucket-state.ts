import type { RemoteObject } from './plan';
import { forEachLimit } from './pool';
import { findLive, parseRecord, recordPath, releaseIdOfRecordPath, RELEASES_DIR, type ReleaseRecord } from './releases';
import type { SiteBucket } from './s3-api';
import { md5Hex } from './site-files';
import { isPrivateMap } from './source-maps';

/** What the bucket holds under the prefix, from one listing plus the (few) retained release records. */
export interface BucketState {
  /** Site objects and private source maps by path under the prefix; release records excluded. */
  objects: Map<string, RemoteObject>;
  records: ReleaseRecord[];
  /** The release whose index.html is being served, if it is a recorded one. */
  live: ReleaseRecord | undefined;
}

export async function loadBucketState(bucket: SiteBucket, prefix: string, concurrency: number): Promise<BucketState> {
  const objects = new Map<string, RemoteObject>();
  const recordPaths: string[] = [];
  for (const object of await bucket.list(prefix)) {
    const path = object.key.slice(prefix.length);
    if (releaseIdOfRecordPath(path)) {
      recordPaths.push(path);
    } else if (isPrivateMap(path) || !path.startsWith(`${RELEASES_DIR}/`)) {
      objects.set(path, { etag: object.etag, size: object.size });
    }
  }
  const records: ReleaseRecord[] = new Array(recordPaths.length);
  await forEachLimit(recordPaths, concurrency, async (path, index) => {
    records[index] = parseRecord(prefix + path, (await bucket.read(prefix + path)).toString('utf8'));
  });
  return { objects, records, live: findLive(records, objects.get('index.html')?.etag) };
}

export async function writeRecord(bucket: SiteBucket, prefix: string, record: ReleaseRecord): Promise<void> {
  const body = Buffer.from(JSON.stringify(record));
  await bucket.put({
    key: prefix + recordPath(record.id),
    body,
    md5: md5Hex(body),
    contentType: 'application/json',
    cacheControl: 'no-store',
  });
}
