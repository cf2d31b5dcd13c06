// An S3 bucket as a site origin of the edge: each object comes back with the headers publish-spa stored on it, as
// CloudFront passes them on from S3. The bucket policy lets CloudFront list the bucket, so a missing key is a 404.
import { GetObjectCommand, HeadObjectCommand, type GetObjectCommandOutput, type S3Client } from '@aws-sdk/client-s3';
import type { Readable } from 'node:stream';
import type { SiteOrigin } from './edge';

const STORED = {
  'content-type': 'ContentType',
  'cache-control': 'CacheControl',
  'content-encoding': 'ContentEncoding',
  'content-length': 'ContentLength',
  etag: 'ETag',
} as const;

export function bucketOrigin({ s3, bucket }: { s3: S3Client; bucket: string }): SiteOrigin {
  return async ({ uri, method }) => {
    // Without a CORS configuration S3 refuses preflights; the site needs none (one origin for everything).
    if (method !== 'GET' && method !== 'HEAD') return { status: 403, headers: { 'content-type': 'text/plain' }, body: 'forbidden' };
    const key = decodeURIComponent(uri.replace(/^\//, ''));
    const input = { Bucket: bucket, Key: key };
    try {
      const object = (await s3.send(method === 'HEAD' ? new HeadObjectCommand(input) : new GetObjectCommand(input))) as GetObjectCommandOutput;
      const headers: Record<string, string | number> = {};
      for (const [header, field] of Object.entries(STORED)) {
        const value = object[field];
        if (value !== undefined) headers[header] = value;
      }
      if (object.LastModified) headers['last-modified'] = object.LastModified.toUTCString();
      return { status: 200, headers, body: object.Body as Readable | undefined };
    } catch (error) {
      if ((error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) {
        return { status: 404, headers: { 'content-type': 'text/plain' }, body: `not found: s3://${bucket}/${key}` };
      }
      throw error;
    }
  };
}
