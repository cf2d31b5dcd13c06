// The CloudFront stand-in. The distribution frontend/scripts/serve.mjs describes (the static server of the browser
// tests) is held to terraform/frontend.tf; paths are matched like CloudFront path patterns; and the edge serves a site
// from a bucket in moto through the real spa_fallback function, with the backend paths proxied beside it.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { request } from 'node:http';
import { Readable } from 'node:stream';
import {
  behaviourFor,
  bucketOrigin,
  matchesPathPattern,
  startEdge,
  type Edge,
  type EdgeBehaviour,
  type SiteOrigin,
} from '@notebook-ship/local-aws';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { handshake, startFakeBackend } from '../../../frontend/scripts/fake-backend';
import { BEHAVIOURS, DEFAULT_BEHAVIOUR, startEdge as startSiteEdge } from '../../../frontend/scripts/serve.mjs';
import { blocks, get, loadConfig, only, reference, type Config } from '../../../terraform/test/config';

/** A GET or other request sent as it is: fetch would resolve the `..` these tests need to send. */
function rawRequest(url: string, path: string, method = 'GET'): Promise<number> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(url);
    request({ host: hostname, port, path, method }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('the static server follows terraform/frontend.tf', () => {
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
    // serve.mjs runs terraform/functions/<name>.js: the file the function's code comes from.
    const fn = get(config.resources, `aws_cloudfront_function.${DEFAULT_BEHAVIOUR.viewerRequest}`);
    expect(String(fn.code)).toContain(`/functions/${DEFAULT_BEHAVIOUR.viewerRequest}.js`);
    for (const ordered of blocks(distribution, 'ordered_cache_behavior')) expect(ordered.function_association).toBeUndefined();
  });
});

describe('path patterns', () => {
  it('match like CloudFront path patterns: * any characters, ? one, the rest literally and case-sensitively', () => {
    expect(matchesPathPattern('/api/*', '/api/notebooks/1')).toBe(true);
    expect(matchesPathPattern('/api/*', '/api/')).toBe(true);
    expect(matchesPathPattern('/api/*', '/api')).toBe(false);
    expect(matchesPathPattern('/api/*', '/apis/x')).toBe(false);
    expect(matchesPathPattern('/api/*', '/API/x')).toBe(false);
    expect(matchesPathPattern('/health', '/health')).toBe(true);
    expect(matchesPathPattern('/health', '/healthz')).toBe(false);
    expect(matchesPathPattern('/v?/x.js', '/v2/x.js')).toBe(true);
    expect(matchesPathPattern('/v?/x.js', '/v2/xajs')).toBe(false);
    expect(matchesPathPattern('/v?/x.js', '/v22/x.js')).toBe(false);
    expect(matchesPathPattern('*.(js)', 'a.(js)')).toBe(true);
  });

  it('pick the first behaviour that matches, else the default one', () => {
    const distribution = { behaviours: BEHAVIOURS as EdgeBehaviour[], defaultBehaviour: { origin: 'site', allowedMethods: ['GET'] } };
    expect(behaviourFor(distribution, '/api').origin).toBe('site');
    expect(behaviourFor(distribution, '/api/x').origin).toBe('api');
    expect(behaviourFor(distribution, '/health').origin).toBe('api');
    const first = behaviourFor({ ...distribution, behaviours: [{ pathPattern: '/api/*', origin: 'first', allowedMethods: [] }, ...distribution.behaviours] }, '/api/x');
    expect(first.origin).toBe('first');
  });
});

describe('the edge on a bucket in moto', () => {
  const moto = useMoto();
  const bucket = 'site';
  let backend: Awaited<ReturnType<typeof startFakeBackend>>;
  let edge: Edge;

  beforeAll(async () => {
    const s3 = new S3Client({ endpoint: moto.current.endpoint, forcePathStyle: true });
    await s3.send(new CreateBucketCommand({ Bucket: bucket }));
    // As publish-spa stores them.
    const put = (Key: string, Body: string, ContentType: string, CacheControl: string) =>
      s3.send(new PutObjectCommand({ Bucket: bucket, Key, Body, ContentType, CacheControl }));
    await put('index.html', '<!doctype html><title>app</title>', 'text/html; charset=utf-8', 'no-cache');
    await put('assets/index-3f9a1c.js', 'console.log(1)', 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable');
    await put('favicon.svg', '<svg/>', 'image/svg+xml', 'no-cache');
    backend = await startFakeBackend();
    edge = await startSiteEdge({ site: bucketOrigin({ s3, bucket }), api: backend.url });
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
    expect(asset.headers.get('last-modified')).toMatch(/ GMT$/);
    const icon = await fetch(`${edge.url}/favicon.svg`);
    expect([icon.headers.get('content-type'), icon.headers.get('cache-control')]).toEqual(['image/svg+xml', 'no-cache']);
  });

  it('answers client-side routes with index.html and missing files with 404, like the spa_fallback function', async () => {
    for (const path of ['/', '/notebooks/42', '/notebooks/42/?tab=1']) {
      const page = await fetch(`${edge.url}${path}`);
      expect([path, page.status, page.headers.get('cache-control')]).toEqual([path, 200, 'no-cache']);
      expect(await page.text()).toContain('<title>app</title>');
    }
    const missing = await fetch(`${edge.url}/assets/index-old.js`);
    expect([missing.status, await missing.text()]).toEqual([404, 'not found: s3://site/assets/index-old.js']);
    const head = await fetch(`${edge.url}/`, { method: 'HEAD' });
    expect([head.status, head.headers.get('content-type'), await head.text()]).toEqual([200, 'text/html; charset=utf-8', '']);
  });

  it('refuses what the distribution does not allow', async () => {
    expect((await fetch(`${edge.url}/index.html`, { method: 'POST', body: 'x' })).status).toBe(403);
    expect((await fetch(`${edge.url}/health`, { method: 'POST', body: 'x' })).status).toBe(403);
    expect(await rawRequest(edge.url, '/..%2f..%2fetc/passwd')).toBe(403);
    expect(await rawRequest(edge.url, '/api/..%2f..%2fetc/passwd')).toBe(403);
    // OPTIONS is allowed on the default behaviour, and the bucket (without CORS) refuses it, as S3 does.
    expect(await rawRequest(edge.url, '/index.html', 'OPTIONS')).toBe(403);
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

describe('the edge engine', () => {
  const site: SiteOrigin = async ({ uri }) => ({ status: 200, headers: { 'content-type': 'text/plain' }, body: `site ${uri}` });

  it('refuses a behaviour whose origin it does not have', async () => {
    await expect(
      startEdge({ behaviours: [{ pathPattern: '/api/*', origin: 'alb', allowedMethods: ['GET'] }], defaultBehaviour: { origin: 'site', allowedMethods: ['GET'] }, sites: { site }, backends: {} }),
    ).rejects.toThrow('the edge has no origin "alb"');
  });

  it("answers with a viewer-request function's response, or the URI it rewrote", async () => {
    const edge = await startEdge({
      behaviours: [],
      defaultBehaviour: {
        origin: 'site',
        allowedMethods: ['GET', 'HEAD'],
        viewerRequest: ({ request: viewer }) =>
          viewer.uri === '/old'
            ? { statusCode: 301, statusDescription: 'Moved Permanently', headers: { location: { value: '/new' } } }
            : { uri: viewer.uri.toUpperCase() },
      },
      sites: { site },
      backends: {},
    });
    try {
      const moved = await fetch(`${edge.url}/old`, { redirect: 'manual' });
      expect([moved.status, moved.headers.get('location')]).toEqual([301, '/new']);
      expect(await (await fetch(`${edge.url}/new`)).text()).toBe('site /NEW');
    } finally {
      await edge.close();
    }
  });

  it('answers 502 when a site origin fails, and when a backend does not answer', async () => {
    const failing: SiteOrigin = async () => {
      throw new Error('S3 is down');
    };
    const streamed: SiteOrigin = async () => ({ status: 200, body: Readable.from(['chunk 1, ', 'chunk 2']) });
    const edge = await startEdge({
      behaviours: [
        { pathPattern: '/api/*', origin: 'gone', allowedMethods: ['GET'] },
        { pathPattern: '/stream', origin: 'streamed', allowedMethods: ['GET'] },
      ],
      defaultBehaviour: { origin: 'failing', allowedMethods: ['GET'] },
      sites: { failing, streamed },
      backends: { gone: { url: 'http://127.0.0.1:9' } },
    });
    try {
      const failed = await fetch(`${edge.url}/index.html`);
      expect([failed.status, await failed.text()]).toEqual([502, 'the origin failed: S3 is down']);
      const unreachable = await fetch(`${edge.url}/api/x`);
      expect(unreachable.status).toBe(502);
      expect((await unreachable.json()).detail).toMatch(/^the backend is unreachable: connect ECONNREFUSED/);
      expect(await (await fetch(`${edge.url}/stream`)).text()).toBe('chunk 1, chunk 2');
    } finally {
      await edge.close();
    }
  });
});
