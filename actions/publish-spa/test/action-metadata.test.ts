import { describe, expect, it } from '@jest/globals';
import { readdir, readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { releaseOutputs } from '../src/outputs';
import type { ReleaseResult } from '../src/steps';

// action.yml is what users read: it must describe every input the code reads and every output it sets.
const root = fileURLToPath(new URL('..', import.meta.url));

interface Metadata {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string };
}

const published: ReleaseResult = {
  mode: 'publish',
  releaseId: 'abc',
  previousReleaseId: 'abb',
  uploaded: [],
  skipped: [],
  deletedPaths: [],
  prunedReleases: [],
  invalidation: { id: 'I1', paths: ['/', '/index.html'] },
  url: 'https://d111111abcdef8.cloudfront.net/',
  apiBaseUrlFoundIn: [],
  durationMs: 1_000,
};

async function sources(): Promise<string> {
  const files = (await readdir(`${root}src`)).filter((file) => file.endsWith('.ts'));
  return (await Promise.all(files.map((file) => readFile(`${root}src/${file}`, 'utf8')))).join('\n');
}

describe('action.yml', () => {
  it('runs the committed bundle on node24 and is branded', async () => {
    const metadata = parse(await readFile(`${root}action.yml`, 'utf8')) as Metadata;
    expect(metadata.runs).toEqual({ using: 'node24', main: 'dist/index.js' });
    expect(metadata.branding.icon).toBeTruthy();
    expect(metadata.branding.color).toBeTruthy();
    expect(metadata.description.length).toBeGreaterThan(100);
  });

  it('declares exactly the inputs the code reads, each described, optional ones with their default', async () => {
    const metadata = parse(await readFile(`${root}action.yml`, 'utf8')) as Metadata;
    const code = await sources();
    const read = new Set([
      ...[...code.matchAll(/(?:required|optional|integer|boolean|enum)Input\('([a-z-]+)'/g)].map((match) => match[1]),
      ...[...code.matchAll(/process\.env\['INPUT_([A-Z-]+)'\]/g)].map((match) => match[1]?.toLowerCase()),
    ]);
    expect([...read].sort()).toEqual(Object.keys(metadata.inputs).sort());
    for (const [name, input] of Object.entries(metadata.inputs)) {
      expect([name, input.description.length > 20]).toEqual([name, true]);
      expect([name, input.required || input.default !== undefined]).toEqual([name, true]);
    }
  });

  it('declares exactly the outputs the action sets, each described', async () => {
    const metadata = parse(await readFile(`${root}action.yml`, 'utf8')) as Metadata;
    expect(Object.keys(releaseOutputs(published)).sort()).toEqual(Object.keys(metadata.outputs).sort());
    for (const output of Object.values(metadata.outputs)) expect(output.description.length).toBeGreaterThan(20);
  });
});
