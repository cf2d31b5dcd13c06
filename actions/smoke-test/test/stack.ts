// The deployment the bundle tests smoke-test: the real notebook service (uvicorn on loopback), the real front end
// built once per file, the same-origin edge of the browser tests (frontend/scripts/serve.mjs, routing like
// CloudFront), an https terminator in front of it, and the broken origins that real misconfigurations produce.
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createReadStream, existsSync } from 'node:fs';
import { cp, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer as createTlsServer } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { runActionBundle, type RunOptions, type RunResult } from '@notebook-ship/action-kit/testing';
import { freePort } from '@notebook-ship/local-aws';
import { startStaticServer } from '../../../frontend/scripts/serve.mjs';

const repo = fileURLToPath(new URL('../../../', import.meta.url));
export const bundle = join(repo, 'actions/smoke-test/dist/index.js');
const uvicorn = join(repo, 'backend/.venv/bin/uvicorn');

const temps: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** For afterAll: removes what the file's helpers wrote. */
export async function removeTemps(): Promise<void> {
  await Promise.all(temps.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
}

export interface Backend {
  url: string;
  port: number;
  stop(): Promise<void>;
}

export interface BackendOptions {
  version: string;
  token?: string;
  /** A port chosen beforehand, to start the service where an action is already looking. */
  port?: number;
}

/** The notebook service as the container runs it (`uvicorn app.main:app`, one worker), with its own storage. */
export async function startBackend({ version, token, port }: BackendOptions): Promise<Backend> {
  if (!existsSync(uvicorn)) throw new Error(`${uvicorn} is missing: run \`npm test -- pytest\` once to create backend/.venv.`);
  const listen = port ?? (await freePort());
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '',
    HOME: process.env.HOME ?? '',
    NOTEBOOK_DIR: await tempDir('smoke-notebooks-'),
    APP_VERSION: version,
    ...(token ? { ACCESS_TOKEN: token } : {}),
  };
  const child = spawn(uvicorn, ['app.main:app', '--host', '127.0.0.1', '--port', String(listen), '--workers', '1'], {
    cwd: join(repo, 'backend'),
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let log = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (log = (log + chunk).slice(-4_000)));
  const url = `http://127.0.0.1:${listen}`;
  const stop = () => stopChild(child);
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`the backend exited with ${child.exitCode}:\n${log}`);
    const healthy = await fetch(`${url}/health`).then((answer) => answer.ok, () => false);
    if (healthy) return { url, port: listen, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`the backend did not answer on ${url} within 30 s:\n${log}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}

/** The real front end, built with its own build script into a temporary directory. */
export async function buildFrontend(env: Record<string, string> = {}): Promise<string> {
  const outDir = await tempDir('smoke-frontend-');
  await promisify(execFile)('npm', ['run', 'build', '-w', '@notebook-ship/frontend', '--', '--outDir', outDir, '--emptyOutDir'], {
    cwd: repo,
    env: { ...process.env, ...env },
    maxBuffer: 10_000_000,
  }).catch((error: Error & { stdout?: string; stderr?: string }) => {
    throw new Error(`the front end does not build: ${error.message}\n${error.stdout ?? ''}\n${error.stderr ?? ''}`);
  });
  return outDir;
}

/** A copy of a build whose entry script has `code` appended, as if the build had baked it in. */
export async function alteredBuild(root: string, code: string): Promise<string> {
  const copy = await tempDir('smoke-frontend-altered-');
  await cp(root, copy, { recursive: true });
  const html = await readFile(join(copy, 'index.html'), 'utf8');
  const entry = /<script[^>]+src="\/(assets\/[^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error(`no entry script in ${root}/index.html`);
  await writeFile(join(copy, entry), `${await readFile(join(copy, entry), 'utf8')}\n${code}\n`);
  return copy;
}

export interface Edge {
  url: string;
  close(): Promise<void>;
}

/** Static files with SPA fallback, /api (incl. WebSocket) and /health to `api`: the CloudFront distribution. */
export function startEdge(root: string, api: string): Promise<Edge & { setWebSocketOutage(outage: boolean): void }> {
  return startStaticServer({ root, api });
}

/**
 * The S3 origin of a distribution whose /api/* behaviour is missing: every path is answered with index.html,
 * like the bucket behind the SPA fallback.
 */
export async function startSpaOrigin(root: string): Promise<Edge> {
  const index = join(root, 'index.html');
  const server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-cache' });
    createReadStream(index).pipe(response);
  });
  return listen(server, 'http');
}

export type WebSocketFault =
  /** Holds every upgrade unanswered, calling `onUpgrade`: the smoke test is then certainly mid-websocket check. */
  | { kind: 'stall'; onUpgrade: () => void }
  /** Passes the upgrade on, then cuts the connection when the client first speaks (after the snapshot). */
  | { kind: 'drop' }
  /** Strips Upgrade and Connection, as an edge that does not forward them does: the service gets a plain GET. */
  | { kind: 'strip' };

/** A proxy to `backend` that passes HTTP on and breaks WebSockets the way a bad proxy or a restart does. */
export async function startFaultyProxy(backend: string, fault: WebSocketFault): Promise<Edge> {
  const target = new URL(backend);
  const server = createServer((incoming, outgoing) => {
    const upstream = request(new URL(incoming.url ?? '/', backend), { method: incoming.method, headers: incoming.headers }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.on('error', () => outgoing.destroy()).pipe(outgoing);
    });
    upstream.on('error', () => outgoing.destroy());
    incoming.on('error', () => upstream.destroy());
    incoming.pipe(upstream);
  });
  server.on('upgrade', (incoming: IncomingMessage, client: Socket, head: Buffer) => {
    // The action may reset a held or relayed connection as it gives up: that ends the socket, never the test run.
    client.on('error', () => client.destroy());
    if (fault.kind === 'stall') return fault.onUpgrade();
    if (fault.kind === 'strip') return relayAsPlainGet(incoming, client, backend);
    const upstream = connect(Number(target.port), target.hostname, () => {
      const lines = [`${incoming.method} ${incoming.url} HTTP/1.1`];
      for (let i = 0; i < incoming.rawHeaders.length; i += 2) lines.push(`${incoming.rawHeaders[i]}: ${incoming.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client);
      client.once('data', () => {
        client.destroy();
        upstream.destroy();
      });
    });
    upstream.on('error', () => client.destroy());
    client.on('close', () => upstream.destroy());
  });
  return listen(server, 'http');
}

const UPGRADE_HEADERS = /^(upgrade|connection)$/i;

function relayAsPlainGet(incoming: IncomingMessage, client: Socket, backend: string): void {
  const headers = Object.fromEntries(Object.entries(incoming.headers).filter(([name]) => !UPGRADE_HEADERS.test(name)));
  const upstream = request(new URL(incoming.url ?? '/', backend), { headers }, (answer) => {
    const lines = [`HTTP/1.1 ${answer.statusCode ?? 502} ${answer.statusMessage ?? ''}`];
    for (let i = 0; i < answer.rawHeaders.length; i += 2) lines.push(`${answer.rawHeaders[i]}: ${answer.rawHeaders[i + 1]}`);
    client.write(`${lines.join('\r\n')}\r\n\r\n`);
    answer.pipe(client);
  });
  upstream.on('error', () => client.destroy());
  upstream.end();
}

/**
 * An https front door for `target` (an http origin): TLS terminated with a self-signed certificate for localhost,
 * bytes spliced through, so WebSocket upgrades work as over wss. The action trusts it via NODE_EXTRA_CA_CERTS.
 */
export async function startHttps(target: string): Promise<Edge & { env: Record<string, string> }> {
  const dir = await tempDir('smoke-tls-');
  const key = join(dir, 'key.pem');
  const cert = join(dir, 'cert.pem');
  await promisify(execFile)('openssl', [
    'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert, '-days', '1',
    '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost',
  ]);
  const origin = new URL(target);
  const server = createTlsServer({ key: await readFile(key), cert: await readFile(cert) }, (client) => {
    const upstream = connect(Number(origin.port), origin.hostname);
    client.pipe(upstream).pipe(client);
    client.on('error', () => upstream.destroy());
    upstream.on('error', () => client.destroy());
  });
  const edge = await listen(server, 'https', 'localhost');
  return { ...edge, env: { NODE_EXTRA_CA_CERTS: cert } };
}

async function listen(server: Server | ReturnType<typeof createTlsServer>, scheme: string, host = '127.0.0.1'): Promise<Edge> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `${scheme}://${host}:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

export interface SmokeRun extends RunResult {
  report: Report;
}

export interface Report {
  passed: boolean;
  url: string;
  apiUrl: string;
  expectedVersion: string | null;
  version: string | null;
  checks: { name: string; status: 'passed' | 'failed' | 'skipped'; durationMs: number; detail: string }[];
}

/** Runs the committed bundle and reads back its JSON report (RUNNER_TEMP is kept in a directory of the test's). */
export async function smokeTest(inputs: Record<string, string>, options: Omit<RunOptions, 'inputs'> = {}): Promise<SmokeRun> {
  const runnerTemp = await tempDir('smoke-runner-temp-');
  const result = await runActionBundle(bundle, {
    timeoutMs: 90_000,
    ...options,
    inputs,
    env: { RUNNER_TEMP: runnerTemp, GITHUB_ACTION: 'smoke', ...options.env },
  });
  const files = await readdir(runnerTemp);
  if (!files.includes('smoke-test-smoke.json')) {
    throw new Error(`no report in RUNNER_TEMP (${files.join(', ') || 'empty'}):\n${result.stdout}\n${result.stderr}`);
  }
  const report = JSON.parse(await readFile(join(runnerTemp, 'smoke-test-smoke.json'), 'utf8')) as Report;
  return { ...result, report };
}

/** `{ ready: 'passed', ... }`: the whole outcome in one comparable object. */
export function statuses(report: Report): Record<string, string> {
  return Object.fromEntries(report.checks.map((check) => [check.name, check.status]));
}

export function detail(report: Report, name: string): string {
  const check = report.checks.find((candidate) => candidate.name === name);
  if (!check) throw new Error(`no ${name} check in the report: ${JSON.stringify(report.checks)}`);
  return check.detail;
}

/** The notebooks the service holds, by name: what a run left behind. */
export async function notebookNames(backend: Backend, token?: string): Promise<string[]> {
  const answer = await fetch(`${backend.url}/api/notebooks`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
  const { notebooks } = (await answer.json()) as { notebooks: { name: string }[] };
  return notebooks.map((notebook) => notebook.name);
}
