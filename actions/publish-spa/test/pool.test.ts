import { describe, expect, it } from '@jest/globals';
import { forEachLimit } from '../src/pool';

const tick = () => new Promise((resolve) => setImmediate(resolve));

describe('forEachLimit', () => {
  it('never has more than the limit in flight, and runs every item', async () => {
    let inFlight = 0;
    let peak = 0;
    const seen: number[] = [];
    await forEachLimit([1, 2, 3, 4, 5, 6, 7], 3, async (item) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await tick();
      seen.push(item);
      inFlight--;
    });
    expect(peak).toBe(3);
    expect(seen.sort()).toEqual([1, 2, 3, 4, 5, 6, 7]);
  });

  it('starts nothing after a failure, lets running tasks finish, then throws the first error', async () => {
    const started: number[] = [];
    const finished: number[] = [];
    const run = forEachLimit([1, 2, 3, 4, 5, 6], 2, async (item) => {
      started.push(item);
      await tick();
      if (item === 2) throw new Error('upload 2 failed');
      await tick();
      finished.push(item);
    });
    await expect(run).rejects.toThrow('upload 2 failed');
    expect(started).toEqual([1, 2]);
    expect(finished).toEqual([1]);
  });

  it('does nothing for no items', async () => {
    await expect(forEachLimit([], 4, async () => undefined)).resolves.toBeUndefined();
  });
});
