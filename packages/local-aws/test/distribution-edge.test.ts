// The edge built from a distribution as the CloudFront API describes it (what Terraform created in the local AWS):
// its behaviours route to its origins, a custom origin gets its custom headers, an S3 origin is read from the bucket,
// and the default behaviour runs the viewer-request function whose code the API serves.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CloudFrontClient,
  CreateDistributionCommand,
  CreateFunctionCommand,
  PublishFunctionCommand,
  type AllowedMethods,
  type DistributionConfig,
  type Method,
  type Origin,
} from '@aws-sdk/client-cloudfront';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { readFileSync } from 'node:fs';
import { bucketOfDomain, compileFunction, startDistributionEdge, startLocalAws, type Edge, type LocalAws } from '@notebook-ship/local-aws';
import { handshake, startFakeBackend } from '../../../frontend/scripts/fake-backend';

const SPA_FALLBACK = readFileSync(new URL('../../../terraform/functions/spa_fallback.js', import.meta.url), 'utf8');
const BUCKET = 'site-bucket';
// terraform/frontend.tf reaches the ALB over HTTPS by a name of the user's that its certificate covers.
const ALB = 'origin.notebooks.example.com';
const ORIGIN_VERIFY = 'origin-verify-s3cret';

const methods = (items: Method[]): AllowedMethods => ({ Quantity: items.length, Items: items, CachedMethods: { Quantity: 2, Items: ['GET', 'HEAD'] } });
const forwardAll = { QueryString: true, Cookies: { Forward: 'all' as const } };

/** A distribution shaped like terraform/frontend.tf's: the bucket by default through `functionArn`, /api/* to the ALB. */
function distributionConfig(functionArn: string | undefined): DistributionConfig {
  return {
    CallerReference: `edge-test-${Date.now()}`,
    Comment: 'the app',
    Enabled: true,
    Origins: {
      Quantity: 2,
      Items: [
        { Id: 'spa-bucket', DomainName: `${BUCKET}.s3.us-east-1.amazonaws.com`, S3OriginConfig: { OriginAccessIdentity: '' } },
        {
          Id: 'api-alb',
          DomainName: ALB,
          CustomOriginConfig: { HTTPPort: 80, HTTPSPort: 443, OriginProtocolPolicy: 'https-only' },
          CustomHeaders: { Quantity: 1, Items: [{ HeaderName: 'X-Origin-Verify', HeaderValue: ORIGIN_VERIFY }] },
        },
      ],
    },
    DefaultCacheBehavior: {
      TargetOriginId: 'spa-bucket',
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: methods(['GET', 'HEAD', 'OPTIONS']),
      ForwardedValues: { QueryString: false, Cookies: { Forward: 'none' } },
      MinTTL: 0,
      ...(functionArn && { FunctionAssociations: { Quantity: 1, Items: [{ EventType: 'viewer-request', FunctionARN: functionArn }] } }),
    },
    CacheBehaviors: {
      Quantity: 1,
      Items: [
        {
          PathPattern: '/api/*',
          TargetOriginId: 'api-alb',
          ViewerProtocolPolicy: 'https-only',
          AllowedMethods: methods(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']),
          ForwardedValues: forwardAll,
          MinTTL: 0,
        },
      ],
    },
  };
}

describe('the edge of a distribution read from the CloudFront API', () => {
  let aws: LocalAws;
  let cloudFront: CloudFrontClient;
  let s3: S3Client;
  let backend: Awaited<ReturnType<typeof startFakeBackend>>;
  let edge: (Edge & { config: DistributionConfig }) | undefined;
  const asked: Origin[] = [];

  beforeAll(async () => {
    aws = await startLocalAws();
    const client = { endpoint: aws.endpoint, region: aws.region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
    cloudFront = new CloudFrontClient(client);
    s3 = new S3Client({ ...client, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: BUCKET }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'index.html', Body: '<title>app</title>', ContentType: 'text/html; charset=utf-8', CacheControl: 'no-cache' }));
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: 'assets/app-1.js', Body: 'console.log(1)', ContentType: 'text/javascript' }));
    // publish-spa's record of a release, in the same bucket as the site.
    await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: '_releases/abc123.json', Body: '{"files":[]}', ContentType: 'application/json' }));
    const created = await cloudFront.send(
      new CreateFunctionCommand({ Name: 'spa_fallback', FunctionConfig: { Comment: 'SPA fallback', Runtime: 'cloudfront-js-2.0' }, FunctionCode: Buffer.from(SPA_FALLBACK) }),
    );
    await cloudFront.send(new PublishFunctionCommand({ Name: 'spa_fallback', IfMatch: created.ETag }));
    const { Distribution } = await cloudFront.send(
      new CreateDistributionCommand({ DistributionConfig: distributionConfig(created.FunctionSummary?.FunctionMetadata?.FunctionARN) }),
    );
    backend = await startFakeBackend();
    edge = await startDistributionEdge({
      cloudFront,
      s3,
      distributionId: Distribution?.Id as string,
      backendUrl: (origin) => (asked.push(origin), backend.url),
    });
  }, 60_000);
  afterAll(async () => {
    await edge?.close();
    await backend?.close();
    await aws?.stop();
  });

  it('proxies the ordered behaviour /api/* to the custom origin, with its custom header', async () => {
    expect(asked.map((origin) => origin.DomainName)).toContain(ALB);
    const answer = await fetch(`${edge?.url}/api/notebooks?x=1`, { method: 'POST', body: '{}' });
    expect(await answer.json()).toEqual({ notebooks: [], path: '/api/notebooks?x=1' });
    expect(backend.seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/notebooks?x=1', headers: { 'x-origin-verify': ORIGIN_VERIFY } });
  });

  it('serves the default behaviour from the S3 origin, with the methods it allows', async () => {
    expect(asked.map((origin) => origin.DomainName)).toEqual([ALB]);
    const asset = await fetch(`${edge?.url}/assets/app-1.js`);
    expect([asset.status, asset.headers.get('content-type'), await asset.text()]).toEqual([200, 'text/javascript', 'console.log(1)']);
    expect((await fetch(`${edge?.url}/assets/app-0.js`)).status).toBe(404);
    expect((await fetch(`${edge?.url}/index.html`, { method: 'DELETE' })).status).toBe(403);
    // What reaches the backend is only what the ordered behaviour sends it.
    expect(backend.seen.filter((seen) => !seen.url.startsWith('/api/'))).toEqual([]);
  });

  it('runs the published viewer-request function on the default behaviour', async () => {
    const route = await fetch(`${edge?.url}/notebooks/42`);
    expect([route.status, await route.text()]).toEqual([200, '<title>app</title>']);
  });

  it('passes WebSocket handshakes on /api/* to the custom origin, with its custom header', async () => {
    expect(await handshake(`${edge?.url}/api/ws/notebooks/n1`, ['notebook', 'bearer.t'])).toEqual({ status: 101, protocol: 'notebook' });
    expect(backend.seen.at(-1)).toMatchObject({ method: 'UPGRADE', url: '/api/ws/notebooks/n1', headers: { 'x-origin-verify': ORIGIN_VERIFY } });
  });

  it("answers 404 for publish-spa's release records, which are in the bucket but not the site", async () => {
    for (const path of ['/_releases/abc123.json', '/%5Freleases/abc123.json']) {
      const answer = await fetch(`${edge?.url}${path}`);
      expect([path, answer.status]).toEqual([path, 404]);
      expect(await answer.text()).not.toContain('files');
    }
  });

  it('gives back the configuration it plays', () => {
    expect(edge?.config.CacheBehaviors?.Items?.map((behaviour) => behaviour.PathPattern)).toEqual(['/api/*']);
  });
});

describe('reading a distribution', () => {
  it('finds the bucket of an S3 origin domain name', () => {
    expect(bucketOfDomain('site-bucket.s3.us-east-1.amazonaws.com')).toBe('site-bucket');
    expect(bucketOfDomain('my.site.s3.eu-west-3.amazonaws.com')).toBe('my.site');
    expect(bucketOfDomain('site-bucket.s3.amazonaws.com')).toBe('site-bucket');
    expect(() => bucketOfDomain(ALB)).toThrow(`the S3 origin ${ALB} is not a bucket domain name`);
  });

  it("runs a cloudfront-js-2.0 function's handler from its code: terraform/functions/spa_fallback.js", () => {
    const handler = compileFunction(SPA_FALLBACK);
    const viewer = (uri: string) => handler({ request: { method: 'GET', uri, querystring: {}, headers: {} } });
    expect(viewer('/notebooks/42')).toMatchObject({ uri: '/index.html' });
    expect(viewer('/')).toMatchObject({ uri: '/index.html' });
    expect(viewer('/assets/app-1.js')).toMatchObject({ uri: '/assets/app-1.js' });
    expect(viewer('/favicon.svg')).toMatchObject({ uri: '/favicon.svg' });
  });
});
