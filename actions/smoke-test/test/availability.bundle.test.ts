import { afterAll, describe, expect, it } from '@jest/globals';
import { freePort } from '@notebook-ship/local-aws';
import type { ChildProcess } from 'node:child_process';
import {
  detail,
  notebookNames,
  removeTemps,
  smokeTest,
  startBackend,
  startFaultyProxy,
  statuses,
  type Backend,
  type Edge,
} from './stack';

// The service is not there yet, or never comes: the ready check retries with backoff until its deadline, and a
// cancelled run stops at once but still cleans up.

const TOKEN = 'smoke-secret-availability';
const started: Promise<Backend>[] = [];
const closers: (() => Promise<void>)[] = [];

afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  const backends = await Promise.allSettled(started);
  await Promise.all(backends.map((backend) => (backend.status === 'fulfilled' ? backend.value.stop() : undefined)));
  await removeTemps();
});

describe('a service that is not answering yet', () => {
  it('is waited for: it comes up after 5 s and every check passes', async () => {
    const port = await freePort();
    const run = await smokeTest(
      { url: `http://127.0.0.1:${port}`, 'access-token': TOKEN, 'expected-version': 'late', checks: 'websocket,auth' },
      { onSpawn: () => void setTimeout(() => started.push(startBackend({ version: 'late', token: TOKEN, port })), 5_000) },
    );
    await started[0];

    expect(run.errors).toEqual([]);
    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'passed', websocket: 'passed', auth: 'passed', cleanup: 'passed' });
    expect(detail(run.report, 'ready')).toMatch(/^\/health is ok with version "late" after [4-6] attempts \(\d+s\)$/);
    expect(run.stdout).toContain(`http://127.0.0.1:${port}/health: attempt 1: GET http://127.0.0.1:${port}/health: connection refused`);
    expect(run.stdout).toMatch(/attempt 2: .*; next look in 2s\./);
  });

  it('fails at the deadline when it never comes, saying what it last saw', async () => {
    const port = await freePort();
    const run = await smokeTest({ url: `http://127.0.0.1:${port}`, 'timeout-seconds': '3', checks: 'api' });

    expect(run.exitCode).toBe(1);
    expect(statuses(run.report)).toEqual({ ready: 'failed', api: 'skipped', cleanup: 'passed' });
    const ready = run.report.checks[0];
    expect(ready?.durationMs).toBeGreaterThanOrEqual(3_000);
    expect(ready?.detail).toBe(
      `The service did not become ready after 3s (3 attempts): GET http://127.0.0.1:${port}/health: connection refused ` +
        `(connect ECONNREFUSED 127.0.0.1:${port}). Is the ECS service running a task, and do the load balancer and ` +
        'security groups let the traffic in? The service events and the task logs say why.',
    );
    expect(run.errors[0]).toBe(ready?.detail);
  });

  it('stops waiting when the run is cancelled, and still runs cleanup', async () => {
    const port = await freePort();
    const run = await smokeTest(
      { url: `http://127.0.0.1:${port}`, 'timeout-seconds': '120' },
      { onSpawn: (child) => void setTimeout(() => child.kill('SIGINT'), 1_500) },
    );

    expect(run.exitCode).toBe(1);
    expect(run.durationMs).toBeLessThan(30_000);
    expect(statuses(run.report)).toEqual({
      ready: 'failed',
      frontend: 'skipped',
      'same-origin': 'skipped',
      api: 'skipped',
      websocket: 'skipped',
      auth: 'skipped',
      cleanup: 'passed',
    });
    expect(detail(run.report, 'ready')).toBe('cancelled: the workflow run was cancelled');
    expect(detail(run.report, 'frontend')).toBe('not run: the run was cancelled');
  });

  it('deletes the notebook it created when cancelled in the middle of the websocket check', async () => {
    const backend = startBackend({ version: 'v1', token: TOKEN });
    started.push(backend);
    let action: ChildProcess | undefined;
    const proxy: Edge = await startFaultyProxy((await backend).url, { kind: 'stall', onUpgrade: () => action?.kill('SIGINT') });
    closers.push(proxy.close);
    const run = await smokeTest({ url: proxy.url, 'access-token': TOKEN, checks: 'websocket,auth' }, { onSpawn: (child) => (action = child) });

    expect(run.exitCode).toBe(1);
    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'passed', websocket: 'failed', auth: 'skipped', cleanup: 'passed' });
    expect(detail(run.report, 'websocket')).toBe('cancelled: the workflow run was cancelled');
    const id = /notebook ([0-9a-f]{32})/.exec(detail(run.report, 'api'))?.[1];
    expect(detail(run.report, 'cleanup')).toBe(`deleted notebook ${id}`);
    expect((await notebookNames(await backend, TOKEN)).filter((name) => name.startsWith('smoke test'))).toEqual([]);
  });

  it('fails the websocket check, not the run, when the connection drops mid-run, and still cleans up', async () => {
    const backend = startBackend({ version: 'v1', token: TOKEN });
    started.push(backend);
    const proxy = await startFaultyProxy((await backend).url, { kind: 'drop' });
    closers.push(proxy.close);
    const run = await smokeTest({ url: proxy.url, 'access-token': TOKEN, checks: 'websocket,auth' });

    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'passed', websocket: 'failed', auth: 'passed', cleanup: 'passed' });
    expect(detail(run.report, 'websocket')).toBe(
      'While waiting for the dependent cell to re-run: the connection dropped without a close frame (1006): a proxy or ' +
        'the load balancer cut it, or the task restarted.',
    );
    expect((await notebookNames(await backend, TOKEN)).filter((name) => name.startsWith('smoke test'))).toEqual([]);
  });
});
