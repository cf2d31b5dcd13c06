import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url));

export interface MotoOptions {
  /** Environment of the moto process, e.g. MOTO_ECS_SERVICE_RUNNING=1 to make ECS services report running tasks. */
  env?: Record<string, string>;
  startTimeoutMs?: number;
}

export interface Moto {
  endpoint: string;
  pid: number;
  /** What an SDK (or an action bundle) needs to talk to this emulator and nothing else. */
  env: Record<string, string>;
  /** Forgets every resource, for tests that share one server. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

/** The moto_server to run: $MOTO_SERVER, the backend's virtualenv (pinned moto), then PATH. */
export function findMotoServer(
  env: NodeJS.ProcessEnv = process.env,
  venvBin: string = join(REPO_ROOT, 'backend', '.venv', 'bin'),
): string {
  const candidates = [
    env.MOTO_SERVER,
    join(venvBin, 'moto_server'),
    ...(env.PATH ?? '').split(delimiter).map((dir) => join(dir, 'moto_server')),
  ];
  const found = candidates.find((candidate) => candidate && existsSync(candidate));
  if (!found) {
    throw new Error(
      'moto_server was not found (looked at $MOTO_SERVER, backend/.venv/bin and PATH). ' +
        "Run `npm test` once to create backend/.venv, or `pip install 'moto[server]'`.",
    );
  }
  return found;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

/** Starts moto_server on a free loopback port and resolves once it answers. */
export async function startMoto({ env = {}, startTimeoutMs = 30_000 }: MotoOptions = {}): Promise<Moto> {
  const executable = findMotoServer();
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-4_000);
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    await waitUntilAnswering(endpoint, child, startTimeoutMs, () => stderr);
  } catch (error) {
    await stopChild(child, exited);
    throw error;
  }
  return {
    endpoint,
    pid: child.pid as number,
    env: {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
    },
    reset: async () => {
      const response = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!response.ok) throw new Error(`moto reset failed with HTTP ${response.status}`);
    },
    stop: () => stopChild(child, exited),
  };
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number, stderr: () => string) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`moto_server exited with code ${child.exitCode}:\n${stderr()}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/data.json`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms:\n${stderr()}`);
}

async function stopChild(child: ChildProcess, exited: Promise<void>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
}
