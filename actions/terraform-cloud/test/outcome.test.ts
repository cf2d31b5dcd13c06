import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { actionOutputs, type CommandResult } from '../src/outcome';
import type { PlanDetails } from '../src/plan-details';

const run = { id: 'run-1', url: 'https://app.terraform.io/app/acme/workspaces/prod/runs/run-1', status: 'applied' };
const plan: PlanDetails = {
  counts: { add: 2, change: 1, destroy: 0, replace: 0, import: 0 },
  replaceKnown: false,
  hasChanges: true,
};
const workspaceOutputs = { values: { bucket: 'logs' }, sensitive: [] };

describe('actionOutputs', () => {
  it('sets exactly the outputs action.yml declares when a command found everything', async () => {
    const metadata = parse(await readFile(new URL('../action.yml', import.meta.url), 'utf8')) as {
      outputs: Record<string, unknown>;
    };
    const full: CommandResult = { run, plan, workspaceOutputs };
    expect(Object.keys(actionOutputs(full)).sort()).toEqual(Object.keys(metadata.outputs).sort());
  });

  it('sets only the outputs of what a command found, with an unknown replace count empty', () => {
    expect(actionOutputs({ workspaceOutputs })).toEqual({ outputs: '{"bucket":"logs"}' });
    expect(actionOutputs({ run, plan })).toEqual({
      'run-id': 'run-1',
      'run-url': run.url,
      status: 'applied',
      'has-changes': 'true',
      add: '2',
      change: '1',
      destroy: '0',
      replace: '',
      'plan-fingerprint': '',
    });
  });
});
