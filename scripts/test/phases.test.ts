import { describe, expect, it } from '@jest/globals';
import { runPhases, type Phase } from '../lib/phases.mjs';

function clock() {
  let t = 0;
  return () => (t += 500);
}

async function run(phases: Phase[], ci: boolean) {
  const lines: string[] = [];
  const result = await runPhases(phases, { ci, log: (line) => lines.push(line), now: clock() });
  return { ...result, printed: lines.join('\n') };
}

const pass: Phase = { name: 'jest', run: () => undefined };
const needsChromium: Phase = { name: 'browser', run: () => undefined, unavailable: () => '/usr/bin/chromium not found' };

describe('runPhases', () => {
  it('skips a phase whose system piece is missing, loudly, without failing locally', async () => {
    const { ok, outcomes, printed } = await run([pass, needsChromium], false);
    expect(ok).toBe(true);
    expect(outcomes.map((outcome) => outcome.result)).toEqual(['passed', 'skipped']);
    expect(printed).toContain('!! SKIPPED browser: /usr/bin/chromium not found');
    expect(printed).toContain('phases: 1 passed, 0 failed, 1 skipped');
  });

  it('fails the run on a skip when CI=true', async () => {
    const { ok, outcomes, printed } = await run([pass, needsChromium], true);
    expect(ok).toBe(false);
    expect(outcomes[1]).toMatchObject({ name: 'browser', result: 'failed', detail: '/usr/bin/chromium not found' });
    expect(printed).toContain('CI=true: a skipped suite fails the run.');
  });

  it('runs every phase after an ordinary failure, but stops after a fatal one', async () => {
    const broken: Phase = { name: 'eslint', run: () => Promise.reject(new Error('3 problems')) };
    const later = await run([broken, pass], false);
    expect(later.outcomes.map((outcome) => outcome.result)).toEqual(['failed', 'passed']);
    expect(later.printed).toContain('✗ eslint: 3 problems');

    const stopped = await run([{ ...broken, name: 'setup', fatal: true }, pass], false);
    expect(stopped.ok).toBe(false);
    expect(stopped.outcomes.map((outcome) => outcome.name)).toEqual(['setup']);
  });

  it('prints a table with each duration and the total', async () => {
    const { printed } = await run([pass, { name: 'pytest', run: () => undefined }], false);
    expect(printed).toMatch(/jest\s+passed\s+0\.5s/);
    expect(printed).toMatch(/total\s+1\.0s/);
    expect(printed.trim().split('\n').at(-1)).toBe('phases: 2 passed, 0 failed');
  });
});
