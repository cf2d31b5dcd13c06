// The local edge of `npm start` plays the CloudFront distribution of terraform/frontend.tf: its behaviours are held
// to the Terraform source, then it serves a site from a bucket in moto and routes the backend paths.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, PutObjectCommand } from '@aws-sdk/client-s3';
import { request } from 'node:http';
import { useMoto } from '@notebook-ship/local-aws';
import { handshake, startFakeBackend } from '../../frontend/scripts/fake-backend';
import {
  BEHAVIOURS,
  DEFAULT_BEHAVIOUR,
  behaviourFor,
  matchesPathPattern,
  startEdge,
  type StaticServer,
} from '../../frontend/scripts/serve.mjs';
import { blocks, get, loadConfig, only, reference, type Config } from '../../terraform/test/config';
import { bucketOrigin } from '../rehearsal/bucket-origin.mjs';
import { emulatorClients } from '../rehearsal/infra.mjs';

describe('the edge follows terraform/frontend.tf', () => {
  let config: Config;
  beforeAll(async () => {
    config = await loadConfig();
  });
  const origins = () => ({
    [String(config.locals.spa_origin_id)]: 'site',
    [String(config.locals.api_origin_id)]: 'api',
  });
  const local = (value: unknown) => {
    const name = reference(value as string).replace(/^local\./, '');
    return config.locals[name] ?? value;
  };

  it('has the ordered cache behaviours of the distribution, to the same origins with the same methods', () => {
    const distribution = get(config.resources, 'aws_cloudfront_distribution.app');
    const terraform = blocks(distribution, 'ordered_cache_behavior').map((behaviour) => ({
      pathPattern: String(behaviour.path_pattern).startsWith('${') ? local(behaviour.path_pattern) : behaviour.path_pattern,
      origin: origins()[String(local(behaviour.target_origin_id))],
      allowedMethods: behaviour.allowed_methods,
    }));
    expect(BEHAVIOURS).toEqual(terraform);
  });

  it('serves the default behaviour from the bucket through the spa_fallback function, as the distribution does', () => {
    const distribution = get(config.resources, 'aws_cloudfront_distribution.app');
    const behaviour = only(distribution.default_cache_behavior);
    expect(DEFAULT_BEHAVIOUR.origin).toBe(origins()[String(local(behaviour.target_origin_id))]);
    expect(DEFAULT_BEHAVIOUR.allowedMethods).toEqual(behaviour.allowed_methods);
    const association = only(behaviour.function_association);
    expect(association.event_type).toBe('viewer-request');
    expect(reference(association.function_arn)).toBe(`aws_cloudfront_function.${DEFAULT_BEHAVIOUR.viewerRequest}.arn`);
    for (const ordered of blocks(distribution, 'ordered_cache_behavior')) expect(ordered.function_association).toBeUndefined();
  });

  it('matches paths like CloudFront path patterns: * any characters, ? one, the rest literally', () => {
    expect(matchesPathPattern('/api/*', '/api/notebooks/1')).toBe(true);
    expect(matchesPathPattern('/api/*', '/api/')).toBe(true);
    expect(matchesPathPattern('/api/*', '/api')).toBe(false);
    expect(matchesPathPattern('/api/*', '/apis/x')).toBe(false);
    expect(matchesPathPattern('/health', '/health')).toBe(true);
    expect(matchesPathPattern('/health', '/healthz')).toBe(false);
    expect(matchesPathPattern('/v?/x.js', '/v2/x.js')).toBe(true);
    expect(matchesPathPattern('/v?/x.js', '/v2/xajs')).toBe(false);
    expect(behaviourFor('/api').origin).toBe('site');
    expect(behaviourFor('/health').origin).toBe('api');
  });
});

describe('the edge on a bucket in moto', () => {
  const moto = useMoto();
  const bucket = 'site';
  let backend: Awaited<ReturnType<typeof startFakeBackend>>;
  let edge: StaticServer;

  beforeAll(async () => {
    const { s3 } = emulatorClients(moto.current.endpoint, 'us-east-1');
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // As publish-spa stores them.
    const put = (Key: string, Body: string, ContentType: string, CacheControl: string) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType, CacheControl }));
    await put('index.html', '<!doctype html><title>app</title>', 'text/html; charset=utf-8', 'no-cache');
    await put('assets/index-3f9a1c.js', 'console.log(1)', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable');
    await put('favicon.svg', '<svg/>', 'image/svg+xml', 'no-cache');
    backend = await startFakeBackend();
    edge = await startEdge({ site: bucketOrigin({ s3, bucket }), api: backend.url });
  });
  afterAll(async () => {
    await edge?.close();
    await backend?.close();
  });

  it('serves each object with the headers stored on it', async () => {
    const asset = await fetch(`${edge.url}/assets/index-3f9a1c.js`);
    expect(asset.status).toBe(200);
    expect(await asset.text()).toBe('console.log(1)');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('etag')).toMatch(/^"[0-9a-f]{32}"$/);
    const icon = await fetch(`${edge.url}/favicon.svg`);
    expect([icon.headers.get('content-type'), icon.headers.get('cache-control')]).toEqual(['image/svg+xml', 'no-cache']);
  });

  it('answers client-side routes with index.html and missing files with 404, like the spa_fallback function', async () => {
    for (const path of ['/', '/notebooks/42', '/notebooks/42/?tab=1']) {
      const page = await fetch(`${edge.url}${path}`);
      expect([path, page.status, page.headers.get('cache-control')]).toEqual([path, 200, 'no-cache']);
      expect(await page.text()).toContain('<title>app</title>');
    }
    expect((await fetch(`${edge.url}/assets/index-old.js`)).status).toBe(404);
    const head = await fetch(`${edge.url}/`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'text/html; charset=utf-8', '']);
  });

  it('refuses what the distribution does not allow', async () => {
    expect((await fetch(`${edge.url}/index.html`, { method: 'POST', body: 'x' })).status).toBe(403);
    expect((await fetch(`${edge.url}/health`, { method: 'POST', body: 'x' })).status).toBe(403);
    const climbing = await new Promise<number>((resolve, reject) => {
      const url = new URL(edge.url);
      request({ host: url.hostname, port: url.port, path: '/..%2f..%2fetc/passwd' }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(climbing).toBe(403);
  });

  it('sends /api/* and /health to the backend with the viewer headers', async () => {
    const api = await fetch(`${edge.url}/api/notebooks?x=1`, { method: 'POST', headers: { authorization: 'Bearer t' }, body: '{}' });
    expect(await api.json()).toEqual({ notebooks: [], path: '/api/notebooks?x=1' });
    expect(backend.seen.at(-1)).toMatchObject({ method: 'POST', url: '/api/notebooks?x=1', headers: { authorization: 'Bearer t' } });
    await fetch(`${edge.url}/health`);
    expect(backend.seen.at(-1)).toMatchObject({ method: 'GET', url: '/health' });
  });

  it('passes WebSocket handshakes on /api/* to the backend, and none on the site', async () => {
    expect(await handshake(`${edge.url}/api/ws/notebooks/n1`, ['notebook', 'bearer.t'])).toEqual({ status: 101, protocol: 'notebook' });
    expect(backend.seen.at(-1)).toMatchObject({ method: 'UPGRADE', url: '/api/ws/notebooks/n1' });
    await expect(handshake(`${edge.url}/notebooks/n1`, ['notebook'])).rejects.toThrow();
  });
});
