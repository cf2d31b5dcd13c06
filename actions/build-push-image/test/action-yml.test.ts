import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';

// action.yml is what users read and what the runner enforces: it must declare exactly what the code reads (the
// outputs it sets are checked against the outputs map, in report.test.ts).
const read = (path: string) => readFile(new URL(path, import.meta.url), 'utf8');

interface ActionYml {
  name: string;
  description: string;
  branding: { icon: string; color: string };
  inputs: Record<string, { description: string; required?: boolean; default?: string }>;
  outputs: Record<string, { description: string }>;
  runs: { using: string; main: string; post?: string };
}

describe('action.yml', () => {
  it('declares every input the action reads, each input and output described', async () => {
    const action = parse(await read('../action.yml')) as ActionYml;
    const inputsSource = await read('../src/inputs.ts');
    const names = [...inputsSource.matchAll(/Input\('([a-z-]+)'/g)].map((match) => match[1]);
    expect(Object.keys(action.inputs).sort()).toEqual([...new Set(names)].sort());
    for (const entry of [...Object.values(action.inputs), ...Object.values(action.outputs)]) {
      expect(entry.description.length).toBeGreaterThan(10);
    }
    expect(action.inputs.repository?.required).toBe(true);
  });

  it('runs the bundle on node24 for main and for the post step that logs out', async () => {
    const action = parse(await read('../action.yml')) as ActionYml;
    expect(action.runs).toEqual({ using: 'node24', main: 'dist/index.js', post: 'dist/index.js' });
    expect(action.branding.icon).toBeTruthy();
  });

  it('states the defaults the code applies', async () => {
    const { inputs } = parse(await read('../action.yml')) as ActionYml;
    expect({
      context: inputs.context?.default,
      platform: inputs.platform?.default,
      cache: inputs.cache?.default,
      'cache-ref': inputs['cache-ref']?.default,
      'skip-if-exists': inputs['skip-if-exists']?.default,
      push: inputs.push?.default,
      provenance: inputs.provenance?.default,
    }).toEqual({
      context: 'backend',
      platform: 'linux/amd64',
      cache: 'true',
      'cache-ref': 'buildcache',
      'skip-if-exists': 'true',
      push: 'true',
      provenance: 'false',
    });
  });
});
