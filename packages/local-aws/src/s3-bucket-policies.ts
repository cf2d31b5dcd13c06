import type { Route } from './routes';

// S3 bucket policies, kept by the gateway instead of moto. moto 5.2 checks a bucket's policy on object requests but
// evaluates its conditions without the request's context, so terraform/'s TLS-only statement (Deny s3:* when
// aws:SecureTransport is "false") refuses every PutObject and GetObject, HTTPS or not. IAM is not emulated here, so
// no policy is enforced: the policy is stored and given back exactly as PutBucketPolicy sent it, as S3 does.

/** `/<bucket>` in path-style addressing, which every client of the local AWS uses. */
const BUCKET = /^\/([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])\/?$/;

const noSuchBucketPolicy = (bucket: string) => ({
  status: 404,
  headers: { 'content-type': 'application/xml' },
  body:
    '<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>NoSuchBucketPolicy</Code>' +
    `<Message>The bucket policy does not exist</Message><BucketName>${bucket}</BucketName></Error>`,
});

const malformedPolicy = (why: string) => ({
  status: 400,
  headers: { 'content-type': 'application/xml' },
  body: `<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>MalformedPolicy</Code><Message>${why}</Message></Error>`,
});

export function bucketPolicyRoutes(): Route[] {
  const policies = new Map<string, string>();
  const route = (method: string, handle: Route['handle']): Route => ({ service: 's3', method, path: BUCKET, query: 'policy', handle });
  return [
    route('PUT', ({ params: [bucket], body }) => {
      const text = body.toString('utf8');
      try {
        const policy = JSON.parse(text) as { Statement?: unknown };
        if (!Array.isArray(policy.Statement) || policy.Statement.length === 0) return malformedPolicy('Missing required field Statement');
      } catch {
        return malformedPolicy('Policies must be valid JSON and the first byte must be \'{\'');
      }
      policies.set(bucket as string, text);
      return { status: 204 };
    }),
    route('GET', ({ params: [bucket] }) => {
      const policy = policies.get(bucket as string);
      return policy === undefined ? noSuchBucketPolicy(bucket as string) : { status: 200, headers: { 'content-type': 'application/json' }, body: policy };
    }),
    route('DELETE', ({ params: [bucket] }) => {
      policies.delete(bucket as string);
      return { status: 204 };
    }),
  ];
}
