// What the browser tests run against: the real backend (uvicorn, a temporary NOTEBOOK_DIR, a free loopback port),
// the production build served the way CloudFront serves it (same origin, /api proxied), and Debian's Chromium.
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from '@notebook-ship/local-aws';
import { type LocalOidc, startLocalOidc } from '@notebook-ship/local-oidc';
import { type Browser, chromium } from 'playwright-core';
import { startStaticServer } from '../scripts/serve.mjs';

export const CHROMIUM = '/usr/bin/chromium';
const frontend = fileURLToPath(new URL('..', import.meta.url));
const backendDir = join(frontend, '..', 'backend');
export const distDir = join(frontend, 'dist');
export const artifactsDir = join(frontend, 'test-results');

export interface Backend {
  url: string;
  token: string | undefined;
  /** REST with the token, for setting up what a test needs quickly. */
  request: <T = unknown>(method: string, path: string, body?: unknown) => Promise<T>;
  stop: () => Promise<void>;
}

export async function startBackend({ token, env = {} }: { token?: string; env?: Record<string, string> } = {}): Promise<Backend> {
  const uvicorn = join(backendDir, '.venv', 'bin', 'uvicorn');
  if (!existsSync(uvicorn)) throw new Error(`${uvicorn} is missing: run \`npm test\` once to create backend/.venv`);
  const notebookDir = await mkdtemp(join(tmpdir(), 'notebooks-e2e-'));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(uvicorn, ['app.main:app', '--host', '127.0.0.1', '--port', String(port), '--workers', '1'], {
    cwd: backendDir,
    env: { ...process.env, NOTEBOOK_DIR: notebookDir, ACCESS_TOKEN: token ?? '', APP_VERSION: 'e2e', PORT: String(port), ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-20_000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(killer);
    }
    await rm(notebookDir, { recursive: true, force: true });
  };

  for (let attempt = 0; ; attempt++) {
    if (child.exitCode !== null) throw new Error(`the backend exited with ${child.exitCode}:\n${log}`);
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not listening yet
    }
    if (attempt > 300) {
      await stop();
      throw new Error(`the backend did not answer /health within 30s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }

  const request = async <T,>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(url + path, {
      method,
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`${method} ${path} answered ${response.status}: ${await response.text()}`);
    return (response.status === 204 ? undefined : await response.json()) as T;
  };
  return { url, token, request, stop };
}

export interface App {
  url: string;
  setWebSocketOutage: (outage: boolean) => void;
  close: () => Promise<void>;
}

export async function serveApp(backend: Backend, port = 0): Promise<App> {
  if (!existsSync(join(distDir, 'index.html'))) {
    throw new Error(`${distDir} holds no build: run \`npm run e2e -w @notebook-ship/frontend\` (it builds first)`);
  }
  return startStaticServer({ root: distDir, api: backend.url, port });
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
  });
}

/** A notebook made over REST, with Python cells holding `codes`; returns its id and cell ids. */
export async function seedNotebook(backend: Backend, name: string, codes: string[]) {
  const { notebook_id: id } = await backend.request<{ notebook_id: string }>('POST', '/api/notebooks', { name });
  const cellIds: string[] = [];
  for (const code of codes) {
    const { cell_id } = await backend.request<{ cell_id: string }>('POST', `/api/notebooks/${id}/cells`, { type: 'python', code });
    cellIds.push(cell_id);
  }
  return { id, cellIds };
}

export interface Stack {
  backend: Backend;
  app: App;
  browser: Browser;
  /** With signIn: the JSON-lines audit log the backend writes. */
  auditLog: string | undefined;
  stop: () => Promise<void>;
}

const OIDC_CLIENT = { clientId: 'notebook-e2e', clientSecret: 'e2e-client-secret' };

/** The backend's settings for sign-in at `oidc`, with the app at `appUrl`; Alice (group admins) is an admin. */
function signInEnv(oidc: LocalOidc, appUrl: string, auditLog: string): Record<string, string> {
  return {
    OIDC_ISSUER: oidc.issuer,
    OIDC_CLIENT_ID: OIDC_CLIENT.clientId,
    OIDC_CLIENT_SECRET: OIDC_CLIENT.clientSecret,
    SESSION_SECRET: 'e2e-session-secret-of-at-least-32-characters',
    PUBLIC_URL: appUrl,
    ADMIN_GROUPS: 'admins',
    AUDIT_LOG_FILE: auditLog,
  };
}

/**
 * Backend, static server and browser for one test file; `stop` ends them all. With signIn, people sign in at a
 * local OpenID Connect provider (packages/local-oidc: Alice Example, an admin, and Bob Example).
 */
export async function startStack(options: { token?: string; signIn?: boolean } = {}): Promise<Stack> {
  await mkdir(artifactsDir, { recursive: true });
  const port = await freePort();
  const appUrl = `http://127.0.0.1:${port}`;
  const auditDir = options.signIn ? await mkdtemp(join(tmpdir(), 'audit-e2e-')) : undefined;
  const auditLog = auditDir && join(auditDir, 'audit.log');
  const oidc = options.signIn
    ? await startLocalOidc({
        clients: [{ ...OIDC_CLIENT, redirectUris: [`${appUrl}/api/auth/callback`], postLogoutRedirectUris: [`${appUrl}/`] }],
      })
    : undefined;
  const stopOidc = async () => {
    await oidc?.close();
    if (auditDir) await rm(auditDir, { recursive: true, force: true });
  };
  const backend = await startBackend({
    token: options.token,
    env: oidc && auditLog ? signInEnv(oidc, appUrl, auditLog) : {},
  }).catch(async (error: unknown) => {
    await stopOidc();
    throw error;
  });
  const app = await serveApp(backend, port).catch(async (error: unknown) => {
    await backend.stop();
    await stopOidc();
    throw error;
  });
  const browser = await launchChromium();
  return {
    backend,
    app,
    browser,
    auditLog,
    stop: async () => {
      await browser.close();
      await app.close();
      await backend.stop();
      await stopOidc();
    },
  };
}
