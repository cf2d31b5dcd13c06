import {
  DeleteObjectsCommand,
  GetObjectCommand,
  paginateListObjectsV2,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { ConfigurationError } from '@notebook-ship/action-kit';

export interface BucketObject {
  key: string;
  /** Without quotes. */
  etag: string;
  size: number;
}

export interface PutRequest {
  key: string;
  body: Buffer;
  /** Hex MD5 of `body`, sent as Content-MD5 so S3 refuses bytes that differ from what was planned. */
  md5: string;
  contentType: string;
  cacheControl: string;
}

/** The few S3 operations a publish needs, on one bucket. */
export interface SiteBucket {
  readonly name: string;
  list(prefix: string): Promise<BucketObject[]>;
  put(request: PutRequest): Promise<void>;
  read(key: string): Promise<Buffer>;
  /** Deletes in batches of 1,000; fails naming the keys S3 refused. */
  remove(keys: readonly string[]): Promise<void>;
}

const DELETE_BATCH = 1_000;

export function s3SiteBucket(client: S3Client, bucket: string): SiteBucket {
  return {
    name: bucket,
    async list(prefix) {
      const objects: BucketObject[] = [];
      try {
        for await (const page of paginateListObjectsV2({ client }, { Bucket: bucket, Prefix: prefix || undefined })) {
          for (const item of page.Contents ?? []) {
            objects.push({ key: item.Key as string, etag: unquote(item.ETag), size: item.Size ?? 0 });
          }
        }
      } catch (error) {
        throw explain(error, bucket, `list s3://${bucket}/${prefix}`, 's3:ListBucket');
      }
      return objects;
    },
    async put({ key, body, md5, contentType, cacheControl }) {
      try {
        await client.send(
          new PutObjectCommand({
            Bucket: bucket,
            Key: key,
            Body: body,
            ContentMD5: Buffer.from(md5, 'hex').toString('base64'),
            ContentType: contentType,
            CacheControl: cacheControl,
          }),
        );
      } catch (error) {
        throw explain(error, bucket, `upload s3://${bucket}/${key}`, 's3:PutObject');
      }
    },
    async read(key) {
      try {
        const response = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return Buffer.from(await (response.Body as { transformToByteArray(): Promise<Uint8Array> }).transformToByteArray());
      } catch (error) {
        throw explain(error, bucket, `read s3://${bucket}/${key}`, 's3:GetObject');
      }
    },
    async remove(keys) {
      for (let start = 0; start < keys.length; start += DELETE_BATCH) {
        const batch = keys.slice(start, start + DELETE_BATCH);
        let errors: { Key?: string; Code?: string; Message?: string }[];
        try {
          const response = await client.send(
            new DeleteObjectsCommand({
              Bucket: bucket,
              Delete: { Objects: batch.map((Key) => ({ Key })), Quiet: true },
            }),
          );
          errors = response.Errors ?? [];
        } catch (error) {
          throw explain(error, bucket, `delete ${batch.length} objects from s3://${bucket}`, 's3:DeleteObject');
        }
        if (errors.length) {
          const shown = errors.slice(0, 5).map((item) => `${item.Key}: ${item.Code} ${item.Message ?? ''}`.trim());
          const more = errors.length > shown.length ? ` and ${errors.length - shown.length} more` : '';
          throw new Error(`S3 refused to delete ${errors.length} objects (${shown.join('; ')}${more}).`);
        }
      }
    },
  };
}

function unquote(etag: string | undefined): string {
  return (etag ?? '').replace(/^"|"$/g, '');
}

/** Mistakes the user can fix become ConfigurationErrors that say how; anything else keeps its AWS error name. */
function explain(error: unknown, bucket: string, action: string, permission: string): unknown {
  const name = (error as { name?: string }).name;
  if (name === 'NoSuchBucket') {
    return new ConfigurationError(`Bucket "${bucket}" does not exist (or is in another account): check the "bucket" input.`);
  }
  if (name === 'AccessDenied' || name === 'Forbidden') {
    return new ConfigurationError(
      `Access denied trying to ${action}: the job's AWS role needs ${permission} on bucket "${bucket}".`,
    );
  }
  if (error instanceof Error) error.message = `Could not ${action}: ${error.message}`;
  return error;
}
