// @vitest-environment node
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createServer, type UserConfig, type ViteDevServer } from 'vite';
import { fileURLToPath } from 'node:url';
import config from '../vite.config';
import { handshake, startFakeBackend } from '../scripts/fake-backend';

type ConfigFunction = (env: { mode: string; command: 'build' | 'serve' }) => UserConfig;
const resolve = (mode = 'production') => (config as unknown as ConfigFunction)({ mode, command: 'build' });

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('vite.config.ts', () => {
  it('bakes an empty API base URL (same origin) by default', () => {
    vi.stubEnv('VITE_API_BASE_URL', '');
    expect(resolve().define).toEqual({ 'import.meta.env.VITE_API_BASE_URL': '""' });
  });

  it('fails the build on an http:// API base URL, naming the way out', () => {
    vi.stubEnv('VITE_API_BASE_URL', 'http://api.example.com');
    vi.stubEnv('ALLOW_INSECURE_API_URL', '');
    expect(() => resolve()).toThrow(/uses http:\/\/.*ALLOW_INSECURE_API_URL=true/s);
  });

  it('accepts http:// for local development when explicitly allowed', () => {
    vi.stubEnv('VITE_API_BASE_URL', 'http://127.0.0.1:8000/');
    vi.stubEnv('ALLOW_INSECURE_API_URL', 'true');
    expect(resolve('development').define).toEqual({ 'import.meta.env.VITE_API_BASE_URL': '"http://127.0.0.1:8000"' });
  });
});

describe('the dev server', () => {
  let server: ViteDevServer | undefined;
  afterEach(async () => {
    await server?.close();
  });

  it('proxies /api, WebSocket included, to the local backend', async () => {
    const backend = await startFakeBackend();
    try {
      vi.stubEnv('NOTEBOOK_API_TARGET', backend.url);
      server = await createServer({
        configFile: fileURLToPath(new URL('../vite.config.ts', import.meta.url)),
        server: { port: 0, host: '127.0.0.1' },
        logLevel: 'silent',
        optimizeDeps: { noDiscovery: true, include: [] },
      });
      await server.listen();
      const url = server.resolvedUrls?.local[0]?.replace(/\/$/, '');
      expect(await (await fetch(`${url}/api/notebooks`)).json()).toEqual({ notebooks: [], path: '/api/notebooks' });
      expect(await handshake(`${url}/api/ws/notebooks/n1`, ['notebook', 'bearer.t'])).toEqual({ status: 101, protocol: 'notebook' });
      expect(backend.seen.map((request) => `${request.method} ${request.url}`)).toEqual(['GET /api/notebooks', 'UPGRADE /api/ws/notebooks/n1']);
    } finally {
      await backend.close();
    }
  });
});
