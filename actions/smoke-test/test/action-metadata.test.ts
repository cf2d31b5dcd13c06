import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { reportOutputs, type SmokeReport } from '../src/report';

// action.yml is what users read: it must describe every input the code reads and every output it sets.
const root = fileURLToPath(new URL('..', import.meta.url));

interface Metadata {
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const metadata = async () => parse(await readFile(`${root}action.yml`, 'utf8')) as Metadata;

describe('action.yml', () => {
  it('runs the committed bundle on node24 and is branded', async () => {
    const { runs, branding, description } = await metadata();
    expect(runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(branding.icon && branding.color).toBeTruthy();
    expect(description.length).toBeGreaterThan(100);
  });

  it('declares exactly the inputs the code reads, each described, optional ones with their default', async () => {
    const { inputs } = await metadata();
    const files = (await readdir(`${root}src`)).filter((file) => file.endsWith('.ts'));
    const code = (await Promise.all(files.map((file) => readFile(`${root}src/${file}`, 'utf8')))).join('\n');
    const read = new Set([...code.matchAll(/(?:required|optional|integer|boolean|list)Input\('([a-z-]+)'/g)].map((match) => match[1]));
    expect([...read].sort()).toEqual(Object.keys(inputs).sort());
    for (const [name, input] of Object.entries(inputs)) {
      expect([name, input.description.length > 20, input.required || input.default !== undefined]).toEqual([name, true, true]);
    }
    expect(inputs['timeout-seconds']?.default).toBe('300');
    expect(inputs.checks?.default).toBe('all');
  });

  it('declares exactly the outputs the action sets, each described', async () => {
    const { outputs } = await metadata();
    const report: SmokeReport = {
      passed: true,
      url: 'https://d111.cloudfront.net/',
      apiUrl: 'https://d111.cloudfront.net/',
      expectedVersion: null,
      version: null,
      startedAt: '2026-01-02T03:04:05.000Z',
      durationMs: 0,
      checks: [],
    };
    const set = Object.keys(reportOutputs(report, '/tmp/smoke-test-report.json'));
    expect(set.sort()).toEqual(Object.keys(outputs).sort());
    for (const output of Object.values(outputs)) expect(output.description.length).toBeGreaterThan(20);
  });
});
