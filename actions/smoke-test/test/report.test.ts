import { afterAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SmokeConfig } from '../src/inputs';
import { buildReport, failureMessage, renderSummary, reportOutputs, writeReport } from '../src/report';

const config: SmokeConfig = {
  url: new URL('https://d111.cloudfront.net/'),
  apiUrl: new URL('https://d111.cloudfront.net/'),
  expectedVersion: 'abc1234',
  token: 'tok-secret',
  timeoutMs: 300_000,
  checks: ['ready', 'api', 'websocket', 'cleanup'],
  addedChecks: [],
};
const outcome = {
  version: 'abc1234',
  results: [
    { name: 'ready' as const, status: 'passed' as const, durationMs: 1_200, detail: '/health is ok with version "abc1234"' },
    { name: 'api' as const, status: 'failed' as const, durationMs: 80, detail: 'GET /api/ws?token=tok-secret | refused' },
    { name: 'websocket' as const, status: 'skipped' as const, durationMs: 0, detail: 'not run: api failed' },
    { name: 'cleanup' as const, status: 'passed' as const, durationMs: 5, detail: 'nothing to delete' },
  ],
};
const report = buildReport(config, outcome, new Date('2026-01-02T03:04:05Z'), new Date('2026-01-02T03:04:07.500Z'));

const dirs: string[] = [];
afterAll(() => Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true }))));

describe('the report', () => {
  it('holds every check, redacts the token, and fails when any check did not pass', () => {
    expect(report).toEqual({
      passed: false,
      url: 'https://d111.cloudfront.net/',
      apiUrl: 'https://d111.cloudfront.net/',
      expectedVersion: 'abc1234',
      version: 'abc1234',
      startedAt: '2026-01-02T03:04:05.000Z',
      durationMs: 2_500,
      checks: [outcome.results[0], { ...outcome.results[1], detail: 'GET /api/ws?token=*** | refused' }, outcome.results[2], outcome.results[3]],
    });
  });

  it('is written under RUNNER_TEMP, one file per step', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'smoke-report-'));
    dirs.push(dir);
    const path = await writeReport(report, join(dir, 'runner'), '__acme_smoke-test_2');
    expect(path).toBe(join(dir, 'runner', 'smoke-test-acme_smoke-test_2.json'));
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(report);
    expect(await writeReport(report, dir, undefined)).toBe(join(dir, 'smoke-test-report.json'));
  });

  it('sets the outputs from the report and where it was written', () => {
    expect(reportOutputs(report, '/tmp/r.json')).toEqual({ passed: 'false', report: '/tmp/r.json', 'failed-checks': 'api' });
  });

  it('renders the job summary table', () => {
    expect(renderSummary(report)).toBe(
      [
        '## ❌ Smoke test failed: api (https://d111.cloudfront.net/)',
        '| | |\n| --- | --- |\n| **URL** | https://d111.cloudfront.net/ |\n| **Version** | abc1234 (expected abc1234) |\n| **Duration** | 3s |',
        '| Check | Result | Time | Detail |\n| --- | --- | --- | --- |\n' +
          '| `ready` | ✅ passed | 1s | /health is ok with version "abc1234" |\n' +
          '| `api` | ❌ failed | 80ms | GET /api/ws?token=*** \\| refused |\n' +
          '| `websocket` | ⏭️ skipped |  | not run: api failed |\n' +
          '| `cleanup` | ✅ passed | 5ms | nothing to delete |',
        '',
      ].join('\n\n'),
    );
  });

  it('makes one failure message naming the failed and the skipped checks', () => {
    expect(failureMessage(report, '/tmp/r.json')).toBe(
      'Smoke test of https://d111.cloudfront.net/ failed: api (not run: websocket). Each failure is annotated above; the job summary and /tmp/r.json have every check.',
    );
  });
});
