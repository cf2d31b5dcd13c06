// @vitest-environment node
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { handshake, startFakeBackend } from './fake-backend';
import { type StaticServer, startStaticServer } from './serve.mjs';

let root: string;
let backend: Awaited<ReturnType<typeof startFakeBackend>>;
let server: StaticServer;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'serve-test-'));
  await mkdir(join(root, 'assets'));
  await writeFile(join(root, 'index.html'), '<!doctype html><title>app</title>');
  await writeFile(join(root, 'assets', 'index-abc123.js'), 'console.log(1)');
  backend = await startFakeBackend();
  server = await startStaticServer({ root, api: backend.url });
});
afterAll(async () => {
  await server?.close();
  await backend?.close();
  await rm(root, { recursive: true, force: true });
});

/** A raw GET: fetch would normalise the `..` this test needs to send. */
function rawGet(path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    request({ host: url.hostname, port: url.port, path }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    })
      .on('error', reject)
      .end();
  });
}

describe('the static server of the browser tests', () => {
  it('serves hashed assets as immutable and routes as index.html, never cached', async () => {
    const asset = await fetch(`${server.url}/assets/index-abc123.js`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const route = await fetch(`${server.url}/notebooks/abc`);
    expect(await route.text()).toContain('<title>app</title>');
    expect(route.headers.get('cache-control')).toBe('no-cache');
  });

  it('answers 404 for a missing asset (a stale page then reloads) and refuses paths outside the root', async () => {
    expect((await fetch(`${server.url}/assets/index-old.js`)).status).toBe(404);
    // `..` segments are resolved by URL parsing; an encoded slash would still climb out after decoding.
    expect(await rawGet('/..%2f..%2f..%2fetc/passwd')).toBe(403);
    expect(await rawGet('/assets/..%2f..%2fpackage.json')).toBe(403);
  });

  it('forwards /api requests with their headers and body', async () => {
    const response = await fetch(`${server.url}/api/notebooks?x=1`, { headers: { authorization: 'Bearer t' } });
    expect(await response.json()).toEqual({ notebooks: [], path: '/api/notebooks?x=1' });
    expect(backend.seen.at(-1)).toMatchObject({ method: 'GET', url: '/api/notebooks?x=1', headers: { authorization: 'Bearer t' } });
  });

  it('forwards WebSocket handshakes with their subprotocols, and can simulate an outage', async () => {
    const done = await handshake(`${server.url}/api/ws/notebooks/n1`, ['notebook', 'bearer.t']);
    expect(done).toEqual({ status: 101, protocol: 'notebook' });
    expect(backend.seen.at(-1)).toMatchObject({ method: 'UPGRADE', url: '/api/ws/notebooks/n1', headers: { 'sec-websocket-protocol': 'notebook, bearer.t' } });

    server.setWebSocketOutage(true);
    expect((await handshake(`${server.url}/api/ws/notebooks/n1`, ['notebook'])).status).toBe(503);
    server.setWebSocketOutage(false);
    expect((await handshake(`${server.url}/api/ws/notebooks/n1`, ['notebook'])).status).toBe(101);
  });
});
