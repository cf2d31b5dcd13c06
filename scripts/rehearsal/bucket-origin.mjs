// The SPA bucket as the local edge's site origin: each object comes back with the headers publish-spa stored on it,
// as CloudFront passes them on from S3. The bucket policy lets CloudFront list the bucket, so a missing key is a 404.
import { GetObjectCommand, HeadObjectCommand } from '@aws-sdk/client-s3';

const STORED = {
  'content-type': 'ContentType',
  'cache-control': 'CacheControl',
  'content-encoding': 'ContentEncoding',
  'content-length': 'ContentLength',
  etag: 'ETag',
};

/** @returns {import('../../frontend/scripts/serve.d.mts').Origin} */
export function bucketOrigin({ s3, bucket }) {
  return async ({ uri, method }) => {
    // Without a CORS configuration S3 refuses preflights; the site needs none (one origin for everything).
    if (method !== 'GET' && method !== 'HEAD') return { status: 403, headers: { 'content-type': 'text/plain' }, body: 'forbidden' };
    const key = decodeURIComponent(uri.replace(/^\//, ''));
    const Command = method === 'HEAD' ? HeadObjectCommand : GetObjectCommand;
    try {
      const object = await s3.send(new Command({ Bucket: bucket, Key: key }));
      const headers = {};
      for (const [header, field] of Object.entries(STORED)) if (object[field] !== undefined) headers[header] = object[field];
      if (object.LastModified) headers['last-modified'] = object.LastModified.toUTCString();
      return { status: 200, headers, body: object.Body };
    } catch (error) {
      if (error?.$metadata?.httpStatusCode === 404) {
        return { status: 404, headers: { 'content-type': 'text/plain' }, body: `not found: s3://${bucket}/${key}` };
      }
      throw error;
    }
  };
}
