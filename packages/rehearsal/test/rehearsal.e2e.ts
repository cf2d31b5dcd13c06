// `npm start` end to end, as a user runs it: a first deploy from an empty local AWS (terraform/ applied for real),
// then the printed URL in Debian's Chromium (the demo notebook reacts), then the task dies and everything stops. Also
// Ctrl-C in the middle of a job, a busy port refused before any work, and the mode that exits after the smoke test.
// Run by `npm test -- rehearsal` (vitest.e2e.config.mjs).
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../../../frontend/e2e/harness';
import { cell, newPage, typeAndRun, waitLive } from '../../../frontend/e2e/pages';
import { NO_DOCKER_REASON, dockerEngineAnswers } from '../src/image';
import { descendants, listProcesses, stillRunning, type ProcessInfo } from '../src/processes';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const DEPLOY_STAGES = ['terraform', 'image', 'backend', 'frontend', 'smoke'];
/** Up to the served notebook: the apply of terraform/ alone takes one to two minutes here. */
const FULL_RUN_MS = 480_000;

interface Run {
  pid: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the match once the output has it; rejects if the run ends first. */
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpMatchArray>;
}

const runs: Run[] = [];
/** Each run keeps its state in a folder of its own unless it names one: never the developer's .local/npm-start. */
const stateDirs: string[] = [];
const newStateDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'rehearsal-e2e-state-'));
  stateDirs.push(dir);
  return join(dir, 'npm-start');
};
afterAll(() => {
  for (const dir of stateDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** `npm start -- args` in its own process group, like a terminal's foreground job. */
function npmStart(args: string[]): Run {
  const state = args.includes('--state-dir') ? [] : ['--state-dir', newStateDir()];
  const child = spawn('npm', ['start', '--', ...args, ...state], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => {
      done = true;
      resolve({ code, signal });
    }),
  );
  const run: Run = {
    pid: child.pid as number,
    output: () => output,
    exited,
    async waitFor(pattern, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const match = pattern.exec(output);
        if (match) return match;
        if (done) throw new Error(`npm start ended without printing ${pattern}:\n${output}`);
        if (Date.now() > deadline) throw new Error(`npm start did not print ${pattern} within ${timeoutMs} ms:\n${output}`);
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    },
  };
  runs.push(run);
  return run;
}

/** The stage table's rows: stage → result. */
function stageResults(output: string): Record<string, string> {
  const rows = [...output.matchAll(/^(setup: [\w ]+?|local AWS|[a-z][\w-]*)\s{2,}(passed|failed|skipped)\s+[\d.]+s$/gm)];
  return Object.fromEntries(rows.map((row) => [row[1], row[2]]));
}

/** `name (pid N)` in the output, e.g. the emulator's and the task's. */
const pidsPrinted = (output: string) => [...new Set([...output.matchAll(/\(pid (\d+)\)/g)].map((match) => Number(match[1])))];

const alive = (pids: number[]) => {
  const running = new Set(listProcesses().map((info) => info.pid));
  return pids.filter((pid) => running.has(pid));
};

afterEach(async () => {
  // A failed test must not leave a rehearsal running: stop its whole process group.
  for (const run of runs.splice(0)) {
    const tree = descendants(run.pid);
    try {
      process.kill(-run.pid, 'SIGKILL');
    } catch {
      // already gone
    }
    for (const info of stillRunning(tree)) process.kill(info.pid, 'SIGKILL');
  }
});

describe('npm start', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(() => browser?.close());

  test('a first deploy from an empty account serves the notebook at the printed URL; when the task dies, everything stops', async () => {
    const run = npmStart(['--port', '0']);
    await run.waitFor(/Ctrl-C stops everything\./, FULL_RUN_MS);
    const output = run.output();
    const docker = dockerEngineAnswers();
    expect(stageResults(output)).toEqual({
      'setup: node modules': 'passed',
      'setup: python venv': 'passed',
      'local AWS': 'passed',
      terraform: 'passed',
      image: docker ? 'passed' : 'skipped',
      backend: 'passed',
      frontend: 'passed',
      smoke: 'passed',
      'rollback-backend': 'skipped',
      'rollback-frontend': 'skipped',
      'smoke-after-rollback': 'skipped',
      production: 'passed',
    });
    expect(output).toContain('summary: ## Production: new');
    if (!docker) expect(output).toContain(`skipped: ${NO_DOCKER_REASON}`);
    for (const stage of DEPLOY_STAGES) expect(output).toContain(`▶ ${stage}: `);
    // terraform/ itself, from nothing: Terraform's own summary, dozens of resources, none changed or destroyed.
    const added = Number((await run.waitFor(/Apply complete! Resources: (\d+) added, 0 changed, 0 destroyed\./, 1_000))[1]);
    expect(added).toBeGreaterThan(50);
    // The first deploy takes the service Terraform left at zero tasks to one, rendered from Terraform's revision.
    expect(output).toMatch(/asks for no task \(desired count 0\), so nothing ran before: this is its first deploy/);
    expect(output).toMatch(/Rendered from the base notebook-ship:1 \(base-task-definition\)/);
    expect(output).toContain('✅ websocket:');
    const url = (await run.waitFor(/Open\s+(http:\/\/127\.0\.0\.1:\d+)/, 1_000))[1] as string;
    await run.waitFor(/Token\s+([A-Za-z0-9]{48})\n/, 1_000); // automation's, beside sign-in
    const auditLog = (await run.waitFor(/Audit log (\S+)\n/, 1_000))[1] as string;
    const gateway = (await run.waitFor(/gateway\s+(http:\/\/127\.0\.0\.1:\d+)/, 1_000))[1] as string;
    const bucket = (await run.waitFor(/notebook_bucket_name = "([^"]+)"/, 1_000))[1] as string;

    // The demo notebook, through the printed URL: signed in as the admin at the local provider, then a change that its
    // dependents follow.
    expect(output).toMatch(/Sign in\s+as Alice Example <alice@example\.com> \(admin\)\n\s+or Bob Example <bob@example\.com>\n/);
    const page = await newPage(browser);
    await page.goto(url);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.getByRole('button', { name: 'Sign in as Alice Example' }).click();
    await page.waitForURL(`${url}/`);
    await page.getByRole('link', { name: 'Welcome: a reactive notebook' }).click();
    await page.waitForURL(/\/notebooks\/[0-9a-f]+$/);
    await waitLive(page);
    await typeAndRun(page, 2, 'growth = 0.05\nmonths = 12');
    await expect
      .poll(() => cell(page, 5).locator('.console').textContent(), { timeout: 60_000 })
      .toBe('After 12 months: 17,959 a month\n');
    // A client-side route reloads through the SPA fallback function Terraform published, with the saved edit.
    await page.reload();
    await waitLive(page);
    await expect.poll(() => cell(page, 2).locator('.code-preview').textContent()).toBe('growth = 0.05\nmonths = 12');

    // The notebook lives in the bucket Terraform created, as the task stores it in AWS.
    const s3 = new S3Client({ region: 'us-east-1', endpoint: gateway, forcePathStyle: true, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'notebooks/' }));
    const stored = await Promise.all(
      Contents.map(async (item) => (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: item.Key }))).Body?.transformToString()) ?? ''),
    );
    expect(stored.some((text) => text.includes('months = 12'))).toBe(true);
    await page.close();
    // Who did it, in the audit log the task writes (and sends to the local CloudWatch Logs).
    const audit = readFileSync(auditLog, 'utf8').split('\n').filter(Boolean).map((line) => JSON.parse(line) as { actor: { id: string }; action: string });
    expect(audit.filter((event) => event.actor.id === 'alice@example.com').map((event) => event.action)).toEqual(
      expect.arrayContaining(['sign_in', 'update_cell', 'run_cell']),
    );

    // Everything it started, kernels included (the cell ran in one); then the task dies on its own.
    const started: ProcessInfo[] = descendants(run.pid);
    const uvicorn = started.find((info) => info.command === 'uvicorn');
    expect(started.map((info) => info.command)).toEqual(expect.arrayContaining(['node', 'moto_server', 'uvicorn']));
    expect(descendants(uvicorn?.pid as number, started).length).toBeGreaterThan(0);
    const task = Number((await run.waitFor(/uvicorn pid (\d+)/, 1_000))[1]);
    process.kill(task, 'SIGKILL');
    expect((await run.exited).code).toBe(1);
    expect(run.output()).toContain(`✗ the task (pid ${task}) exited on its own (SIGKILL)`);
    expect(run.output()).toMatch(/everything stopped\.\n$/);
    expect(stillRunning(started)).toEqual([]);
    await expect(fetch(url)).rejects.toThrow();
  });

  test('Ctrl-C in the middle of a job cancels it and stops everything, the build it was running included', async () => {
    const run = npmStart(['--port', '0']);
    await run.waitFor(/▶ frontend[\s\S]*vite build/, FULL_RUN_MS);
    const started = descendants(run.pid);
    expect(started.map((info) => info.command)).toEqual(expect.arrayContaining(['moto_server', 'uvicorn', 'node']));
    process.kill(-run.pid, 'SIGINT');
    await run.exited;
    const output = run.output();
    expect(output).toContain('Ctrl-C: stopping everything npm start started.');
    expect(output).toContain('✗ frontend cancelled (Ctrl-C)');
    expect(stageResults(output)).toMatchObject({ terraform: 'passed', backend: 'passed', frontend: 'failed', smoke: 'skipped' });
    expect(output).not.toContain('▶ smoke');
    expect(output).toMatch(/everything stopped\.\n$/);
    expect(stillRunning(started)).toEqual([]);
  });

  describe('without serving', () => {
    let occupied: Server;
    afterAll(() => new Promise<void>((resolve) => (occupied ? occupied.close(() => resolve()) : resolve())));

    test('a busy port stops the run before any work, with what to do, and leaves nothing running', async () => {
      occupied = createServer();
      await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
      const port = (occupied.address() as { port: number }).port;
      const run = npmStart(['--port', String(port), '--exit-after-smoke-test']);
      expect((await run.exited).code).toBe(1);
      const output = run.output();
      expect(output).toContain(`✗ local AWS failed: port ${port} is in use (another npm start?)`);
      expect(output).toContain('npm start -- --port 0');
      expect(stageResults(output)).toMatchObject({ 'local AWS': 'failed', terraform: 'skipped', backend: 'skipped', smoke: 'skipped' });
      expect(output).not.toContain('▶ terraform');
      expect(output).toContain('✗ the rehearsal stopped at "local AWS", as a deploy would');
    });

    test('--fail-backend: the backend fails once ECS started its deployment; the rollback takes it back and says so', async () => {
      const run = npmStart(['--port', '0', '--fail-backend']);
      expect((await run.exited).code).toBe(1);
      const output = run.output();
      expect(stageResults(output)).toMatchObject({
        backend: 'failed',
        frontend: 'skipped',
        smoke: 'skipped',
        // A first deploy: nothing ran before, so the service goes back to zero tasks, with nothing to smoke-test.
        'rollback-backend': 'passed',
        'rollback-frontend': 'skipped',
        'smoke-after-rollback': 'skipped',
        production: 'failed',
      });
      expect(output).toContain('the backend job fails after ECS started its deployment (--fail-backend)');
      expect(output).toContain('summary: ## Production: restored');
      expect(output).toContain('back to zero tasks (this was its first deploy: nothing ran before)');
      expect(output).toContain('✗ the rehearsal stopped at "backend", as a deploy would');
      expect(alive(pidsPrinted(output))).toEqual([]);
    });

    test('--exit-after-smoke-test rehearses every stage, then stops everything and exits 0; a second run, with --kernels ecs, finds the first one\'s notebooks and token', async () => {
      const stateDir = newStateDir();
      const run = npmStart(['--port', '0', '--exit-after-smoke-test', '--state-dir', stateDir]);
      expect((await run.exited).code).toBe(0);
      const output = run.output();
      expect(stageResults(output)).toMatchObject({ terraform: 'passed', backend: 'passed', frontend: 'passed', smoke: 'passed' });
      expect(output).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\./);
      expect(output).toContain('runs on the local AWS and passed the smoke test.');
      expect(output).not.toContain('Ctrl-C stops everything.');
      const pids = pidsPrinted(output);
      expect(pids.length).toBeGreaterThanOrEqual(2);
      expect(alive(pids)).toEqual([]);

      // What it kept: the demo notebook the task wrote into the bucket, and the token, printed once, readable by this user alone.
      const token = /Token\s+([A-Za-z0-9]{48})\n/.exec(output)?.[1];
      expect(readFileSync(join(stateDir, 'access-token'), 'utf8').trim()).toBe(token);
      expect(statSync(join(stateDir, 'access-token')).mode & 0o777).toBe(0o600);
      expect(output.split(token as string).length).toBe(2);
      const kept = readdirSync(join(stateDir, 'notebook-bucket', 'notebooks'));
      expect(kept.length).toBeGreaterThan(0);
      const demo = kept.find((name) => readFileSync(join(stateDir, 'notebook-bucket', 'notebooks', name), 'utf8').includes('Welcome: a reactive notebook'));
      expect(demo).toBeDefined();

      // A second run deploys into an empty account again, and puts back what the first kept: the same token, the same notebooks.
      // It runs kernels as ECS tasks: the smoke test's kernel is a local process the local ECS starts and stops.
      const again = npmStart(['--port', '0', '--exit-after-smoke-test', '--state-dir', stateDir, '--kernels', 'ecs']);
      expect((await again.exited).code).toBe(0);
      const second = again.output();
      expect(stageResults(second)).toMatchObject({ terraform: 'passed', backend: 'passed', smoke: 'passed' });
      expect(second).toContain('KERNEL_LAUNCHER=ecs: each kernel is a task of');
      expect(Number(/(\d+) kernel task\(s\) started so far \(RunTask\)/.exec(second)?.[1])).toBeGreaterThanOrEqual(1);
      expect(alive(pidsPrinted(second))).toEqual([]);
      expect(second).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\./);
      expect(second).toContain(`${kept.length} object${kept.length === 1 ? '' : 's'} kept in ${stateDir} put into the bucket`);
      expect(/Token\s+([A-Za-z0-9]{48})\n/.exec(second)?.[1]).toBe(token);
      expect(readdirSync(join(stateDir, 'notebook-bucket', 'notebooks')).sort()).toEqual([...kept].sort());
    });
  });
});
