import { describe, expect, it } from '@jest/globals';
import { runStages, skipped, type Stage } from '../src/stages';

async function run(stages: Stage[], options: Parameters<typeof runStages>[1] = {}) {
  const lines: string[] = [];
  let t = 0;
  const result = await runStages(stages, { log: (line) => lines.push(line), now: () => (t += 250), ...options });
  return { ...result, printed: lines.join('\n') };
}

describe('the stages of npm start', () => {
  it('runs every stage in order and prints the table of results and durations', async () => {
    const ran: string[] = [];
    const { ok, outcomes, printed } = await run([
      { name: 'infra', title: 'Terraform apply', run: () => void ran.push('infra') },
      { name: 'image', run: () => skipped('no Docker engine') },
      { name: 'smoke', run: async () => void ran.push('smoke') },
    ]);
    expect(ok).toBe(true);
    expect(ran).toEqual(['infra', 'smoke']);
    expect(outcomes.map((outcome) => [outcome.name, outcome.result])).toEqual([
      ['infra', 'passed'],
      ['image', 'skipped'],
      ['smoke', 'passed'],
    ]);
    expect(printed).toContain('▶ infra: Terraform apply');
    expect(printed).toContain('  skipped: no Docker engine');
    expect(printed).toMatch(/stage\s+result\s+duration/);
    expect(printed).toMatch(/infra\s+passed\s+0\.3s/);
    expect(printed.trim().split('\n').at(-1)).toBe('stages: 2 passed, 0 failed, 1 skipped');
  });

  it('lists the set-up that ran before it first in the same table, counted with the stages', async () => {
    const done = [
      { name: 'setup: node modules', result: 'passed' as const, seconds: 0.04 },
      { name: 'setup: python venv', result: 'passed' as const, seconds: 1.5 },
    ];
    const { outcomes, printed } = await run([{ name: 'infra', run: () => undefined }], { done });
    expect(outcomes.map((outcome) => outcome.name)).toEqual(['setup: node modules', 'setup: python venv', 'infra']);
    const table = printed.slice(printed.search(/stage\s+result/)).split('\n');
    expect(table.slice(1, 4).map((line) => line.split(/\s{2,}/)[0])).toEqual(['setup: node modules', 'setup: python venv', 'infra']);
    expect(printed).toMatch(/setup: python venv\s+passed\s+1\.5s/);
    expect(printed.trim().split('\n').at(-1)).toBe('stages: 3 passed, 0 failed');
    // Done before: not announced again as a stage that starts.
    expect(printed).not.toContain('▶ setup');
  });

  it("stops at the first failure with that stage's own error; later stages do not run", async () => {
    const ran: string[] = [];
    const error = new Error('./actions/deploy-ecs: Rollout FAILED: tasks failed to start');
    const { ok, outcomes, failed, printed } = await run([
      { name: 'infra', run: () => void ran.push('infra') },
      { name: 'backend', run: () => Promise.reject(error) },
      { name: 'frontend', run: () => void ran.push('frontend') },
    ]);
    expect(ok).toBe(false);
    expect(ran).toEqual(['infra']);
    expect(failed).toEqual({ stage: 'backend', error });
    expect(outcomes[1]).toMatchObject({ result: 'failed', detail: error.message });
    expect(outcomes[2]).toMatchObject({ name: 'frontend', result: 'skipped', seconds: 0, detail: 'not run: backend failed' });
    expect(printed).toContain('✗ backend failed: ./actions/deploy-ecs: Rollout FAILED: tasks failed to start');
    expect(printed).not.toContain('▶ frontend');
  });
});

describe('a cancelled run', () => {
  it('reports the interrupted stage as cancelled, not as its error, and runs nothing after it', async () => {
    let reason: string | undefined;
    const lines: string[] = [];
    const { ok, outcomes } = await runStages(
      [
        { name: 'backend', run: () => void 0 },
        {
          name: 'frontend',
          run: () => {
            reason = 'Ctrl-C';
            throw new Error('./actions/publish-spa was stopped by SIGINT');
          },
        },
        { name: 'smoke', run: () => void lines.push('smoke ran') },
      ],
      { log: (line) => lines.push(line), cancelled: () => reason },
    );
    expect(ok).toBe(false);
    expect(outcomes.map((outcome) => [outcome.name, outcome.result, outcome.detail])).toEqual([
      ['backend', 'passed', undefined],
      ['frontend', 'failed', 'cancelled (Ctrl-C)'],
      ['smoke', 'skipped', 'not run: cancelled (Ctrl-C)'],
    ]);
    expect(lines).toContain('✗ frontend cancelled (Ctrl-C)');
    expect(lines).not.toContain('smoke ran');
  });

  it('runs no stage at all once cancelled between two stages', async () => {
    let reason: string | undefined;
    const ran: string[] = [];
    const { outcomes } = await run(
      [
        { name: 'backend', run: () => void (reason = 'SIGTERM') },
        { name: 'frontend', run: () => void ran.push('frontend') },
      ],
      { cancelled: () => reason },
    );
    expect(ran).toEqual([]);
    expect(outcomes.map((outcome) => [outcome.name, outcome.result, outcome.detail])).toEqual([
      ['backend', 'passed', undefined],
      ['frontend', 'skipped', 'not run: cancelled (SIGTERM)'],
    ]);
  });

  it('lets a stage that decides for itself run after a failure (a rollback), keeping the first failure as the cause', async () => {
    const ran: string[] = [];
    const { ok, failed, outcomes } = await run([
      { name: 'frontend', run: () => Promise.reject(new Error('upload failed')) },
      { name: 'smoke', run: () => void ran.push('smoke') },
      { name: 'rollback', decide: () => undefined, run: () => Promise.reject(new Error('rollback failed')) },
      { name: 'verify', decide: () => 'its if: is false', run: () => void ran.push('verify') },
    ]);
    expect(ok).toBe(false);
    expect(failed?.stage).toBe('frontend');
    expect(ran).toEqual([]);
    expect(outcomes.map(({ name, result, detail }) => [name, result, detail])).toEqual([
      ['frontend', 'failed', 'upload failed'],
      ['smoke', 'skipped', 'not run: frontend failed'],
      ['rollback', 'failed', 'rollback failed'],
      ['verify', 'skipped', 'not run: its if: is false'],
    ]);
  });
});
