// The runner's scheduling of jobs: `if:` with status functions judged over every job a job needs, directly or not.
import { describe, expect, it } from '@jest/globals';
import { runJobs, type JobRun } from '../src/run';
import type { Workflow } from '../src/model';

const workflow = {
  path: '.github/workflows/example.yml',
  data: {
    jobs: {
      report: { needs: ['build', 'undo'], if: 'always()' },
      build: {},
      ship: { needs: ['build'] },
      check: { needs: ['ship'] },
      undo: { needs: ['ship', 'check'], if: "failure() && needs.ship.outputs.changed == 'yes'" },
    },
  },
} as unknown as Workflow;

async function run(results: Record<string, JobRun>) {
  const started: string[] = [];
  const runs = await runJobs(workflow, {}, async (id) => {
    started.push(id);
    return results[id] ?? { result: 'success', outputs: {} };
  });
  return { started, runs };
}

describe('the jobs the runner starts', () => {
  it('starts each job after the jobs it needs, and a failure() job only after a failure', async () => {
    const { started } = await run({});
    expect(started).toEqual(['build', 'ship', 'check', 'report']);
  });

  it('starts a failure() job after a failure anywhere before it, with the outputs of the jobs it needs', async () => {
    const { started, runs } = await run({
      ship: { result: 'success', outputs: { changed: 'yes' } },
      check: { result: 'failure', outputs: {} },
    });
    expect(started).toEqual(['build', 'ship', 'check', 'undo', 'report']);
    expect(runs.check?.result).toBe('failure');
  });

  it('skips a job whose if: is false, and jobs that need a skipped or failed one', async () => {
    const { started, runs } = await run({ ship: { result: 'failure', outputs: {} } });
    expect(started).toEqual(['build', 'ship', 'report']);
    expect(runs.check).toEqual({ result: 'skipped', outputs: {} });
    expect(runs.undo?.result).toBe('skipped');
  });
});
