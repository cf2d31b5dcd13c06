import { describe, expect, it } from '@jest/globals';
import { TimeoutError, pollUntil, type Clock } from '../src/index';

function fakeClock(): Clock & { sleeps: number[] } {
  let now = 0;
  const sleeps: number[] = [];
  return {
    sleeps,
    now: () => now,
    sleep: async (ms) => {
      sleeps.push(ms);
      now += ms;
    },
  };
}

describe('pollUntil', () => {
  it('returns the value as soon as the check is done, at a fixed interval', async () => {
    const clock = fakeClock();
    const value = await pollUntil({
      description: 'the rollout',
      intervalMs: 10_000,
      timeoutMs: 60_000,
      clock,
      check: async (attempt) => (attempt === 3 ? { done: true, value: 'COMPLETED' } : { done: false }),
    });
    expect(value).toBe('COMPLETED');
    expect(clock.sleeps).toEqual([10_000, 10_000]);
  });

  it('checks a last time at the deadline, then fails with what it waited for and the last state', async () => {
    const clock = fakeClock();
    let checks = 0;
    const waiting = pollUntil({
      description: 'the deployment to complete',
      intervalMs: 4_000,
      timeoutMs: 10_000,
      hint: 'Raise timeout-minutes if rollouts are slow.',
      clock,
      check: async () => {
        checks++;
        return { done: false, state: `IN_PROGRESS (${checks})` };
      },
    });
    await expect(waiting).rejects.toThrow(TimeoutError);
    await expect(waiting).rejects.toThrow(
      'Timed out after 10s waiting for the deployment to complete (4 checks). Last state: IN_PROGRESS (4). Raise timeout-minutes if rollouts are slow.',
    );
    expect(clock.sleeps).toEqual([4_000, 4_000, 2_000]);
  });

  it('lets errors of the check through unchanged', async () => {
    const failing = pollUntil({
      description: 'x',
      intervalMs: 1,
      timeoutMs: 10,
      clock: fakeClock(),
      check: async () => {
        throw new Error('AccessDenied');
      },
    });
    await expect(failing).rejects.toThrow('AccessDenied');
  });
});
