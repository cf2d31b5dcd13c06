// `npm start` end to end, as a user runs it: every stage of the rehearsal, then the printed URL in Debian's Chromium
// (the demo notebook reacts), then Ctrl-C, after which nothing it started is still running. Also a failing stage,
// and the mode that exits after the smoke test. Run by `npm test -- rehearsal` (scripts/vitest.e2e.config.mjs).
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:net';
import { fileURLToPath } from 'node:url';
import { ListObjectsV2Command, GetObjectCommand } from '@aws-sdk/client-s3';
import type { Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { launchChromium } from '../../frontend/e2e/harness';
import { cell, newPage, typeAndRun, waitLive } from '../../frontend/e2e/pages';
import { emulatorClients } from '../rehearsal/infra.mjs';
import { NO_DOCKER_REASON, dockerEngineAnswers } from '../rehearsal/pipeline.mjs';
import { descendants, listProcesses, stillRunning, type ProcessInfo } from '../rehearsal/processes.mjs';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const DEPLOY_STAGES = ['infra', 'image', 'backend', 'frontend', 'smoke'];

interface Run {
  pid: number;
  output: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** Resolves with the match once the output has it; rejects if the run ends first. */
  waitFor: (pattern: RegExp, timeoutMs: number) => Promise<RegExpMatchArray>;
}

const runs: Run[] = [];

/** `npm start -- args` in its own process group, like a terminal's foreground job. */
function npmStart(args: string[]): Run {
  const child = spawn('npm', ['start', '--', ...args], { cwd: repoRoot, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const rows = [...output.matchAll(/^(setup: [\w ]+?|infra|image|backend|frontend|smoke)\s{2,}(passed|failed|skipped)\s+[\d.]+s$/gm)];
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

  test('rehearses every stage, serves the notebook at the printed URL, and Ctrl-C leaves nothing running', async () => {
    const run = npmStart(['--port', '0']);
    await run.waitFor(/Ctrl-C stops everything\./, 240_000);
    const output = run.output();
    const docker = dockerEngineAnswers();
    expect(stageResults(output)).toEqual({
      'setup: node modules': 'passed',
      'setup: python venv': 'passed',
      infra: 'passed',
      image: docker ? 'passed' : 'skipped',
      backend: 'passed',
      frontend: 'passed',
      smoke: 'passed',
    });
    if (!docker) expect(output).toContain(`skipped: ${NO_DOCKER_REASON}`);
    for (const stage of DEPLOY_STAGES) expect(output).toContain(`▶ ${stage}: `);
    expect(output).toContain('✅ websocket:');
    const url = (await run.waitFor(/Open\s+(http:\/\/127\.0\.0\.1:\d+)/, 1_000))[1] as string;
    const token = (await run.waitFor(/Token\s+([A-Za-z0-9]{48})\n/, 1_000))[1] as string;
    const emulator = (await run.waitFor(/moto_server on (http:\/\/127\.0\.0\.1:\d+)/, 1_000))[1] as string;

    // The demo notebook, through the printed URL: the token once, then a change that its dependents follow.
    const page = await newPage(browser);
    await page.goto(url);
    const dialog = page.getByRole('dialog', { name: 'Access token' });
    await dialog.getByLabel('Token').fill(token);
    await dialog.getByRole('button', { name: 'Save token' }).click();
    await page.getByRole('link', { name: 'Welcome: a reactive notebook' }).click();
    await page.waitForURL(/\/notebooks\/[0-9a-f]+$/);
    await waitLive(page);
    await typeAndRun(page, 2, 'growth = 0.05\nmonths = 12');
    await expect
      .poll(() => cell(page, 5).locator('.console').textContent(), { timeout: 60_000 })
      .toBe('After 12 months: 17,959 a month\n');
    // A client-side route reloads through the SPA fallback, and the page comes back with the saved edit.
    await page.reload();
    await waitLive(page);
    await expect.poll(() => cell(page, 2).locator('.code-preview').textContent()).toBe('growth = 0.05\nmonths = 12');

    // The notebook lives in the emulated S3 bucket, as the task stores it in AWS.
    const { s3 } = emulatorClients(emulator, 'us-east-1');
    const bucket = (await run.waitFor(/S3 buckets\s+\S+ \(the site\), (\S+) \(notebooks\)/, 1_000))[1];
    const { Contents = [] } = await s3.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'notebooks/' }));
    const stored = await Promise.all(
      Contents.map(async (item) => (await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: item.Key }))).Body?.transformToString()) ?? ''),
    );
    expect(stored.some((text) => text.includes('months = 12'))).toBe(true);
    await page.close();

    // Everything it started, kernels included (the cell ran in one), then Ctrl-C in its terminal.
    const started: ProcessInfo[] = descendants(run.pid);
    const uvicorn = started.find((info) => info.command === 'uvicorn');
    expect(started.map((info) => info.command)).toEqual(expect.arrayContaining(['node', 'moto_server', 'uvicorn']));
    expect(descendants(uvicorn?.pid as number, started).length).toBeGreaterThan(0);
    process.kill(-run.pid, 'SIGINT');
    await run.exited;
    expect(run.output()).toContain('Ctrl-C: stopping everything npm start started.');
    expect(run.output()).toMatch(/everything stopped\.\n$/);
    expect(stillRunning(started)).toEqual([]);
    await expect(fetch(url)).rejects.toThrow();
  });

  test('Ctrl-C in the middle of a stage cancels it and stops everything, the build it was running included', async () => {
    const run = npmStart(['--port', '0']);
    await run.waitFor(/▶ frontend[\s\S]*vite build/, 240_000);
    const started = descendants(run.pid);
    expect(started.map((info) => info.command)).toEqual(expect.arrayContaining(['moto_server', 'uvicorn', 'node']));
    process.kill(-run.pid, 'SIGINT');
    await run.exited;
    const output = run.output();
    expect(output).toContain('✗ frontend cancelled (Ctrl-C)');
    expect(stageResults(output)).toMatchObject({ backend: 'passed', frontend: 'failed', smoke: 'skipped' });
    expect(output).not.toContain('▶ smoke');
    expect(output).toMatch(/everything stopped\.\n$/);
    expect(stillRunning(started)).toEqual([]);
  });

  test('when the task dies while serving, it says so and stops everything', async () => {
    const run = npmStart(['--port', '0']);
    await run.waitFor(/Ctrl-C stops everything\./, 240_000);
    const task = Number((await run.waitFor(/uvicorn pid (\d+)/, 1_000))[1]);
    const started = descendants(run.pid);
    process.kill(task, 'SIGKILL');
    expect((await run.exited).code).toBe(1);
    expect(run.output()).toContain(`✗ the task (pid ${task}) exited on its own (SIGKILL)`);
    expect(run.output()).toMatch(/everything stopped\.\n$/);
    expect(stillRunning(started)).toEqual([]);
  });

  describe('without serving', () => {
    let occupied: Server;
    afterAll(() => new Promise<void>((resolve) => (occupied ? occupied.close(() => resolve()) : resolve())));

    test('stops at a failing stage with its own error, runs no later stage, and leaves nothing running', async () => {
      occupied = createServer();
      await new Promise<void>((resolve) => occupied.listen(0, '127.0.0.1', resolve));
      const port = (occupied.address() as { port: number }).port;
      const run = npmStart(['--port', String(port), '--exit-after-smoke-test']);
      expect((await run.exited).code).toBe(1);
      const output = run.output();
      expect(output).toContain(`✗ infra failed: port ${port} is in use (another npm start?)`);
      expect(stageResults(output)).toMatchObject({ infra: 'failed', image: 'skipped', backend: 'skipped', smoke: 'skipped' });
      expect(output).not.toContain('▶ backend');
      expect(output).toContain('✗ the rehearsal stopped at "infra", as a deploy would');
      const moto = pidsPrinted(output);
      expect(moto).toHaveLength(1);
      expect(alive(moto)).toEqual([]);
    });

    test('--exit-after-smoke-test rehearses every stage, then stops everything and exits 0', async () => {
      const run = npmStart(['--port', '0', '--exit-after-smoke-test']);
      expect((await run.exited).code).toBe(0);
      const output = run.output();
      expect(stageResults(output)).toMatchObject({ infra: 'passed', backend: 'passed', frontend: 'passed', smoke: 'passed' });
      expect(output).toContain('runs on the embedded AWS and passed the smoke test.');
      expect(output).not.toContain('Ctrl-C stops everything.');
      const pids = pidsPrinted(output);
      expect(pids.length).toBeGreaterThanOrEqual(2);
      expect(alive(pids)).toEqual([]);
    });
  });
});
