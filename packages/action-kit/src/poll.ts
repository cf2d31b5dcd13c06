import { formatDuration } from './duration';
import { TimeoutError } from './errors';

export type PollResult<T> = { done: true; value: T } | { done: false; state?: string };

export interface Clock {
  now(): number;
  sleep(ms: number): Promise<void>;
}

export const systemClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface PollOptions<T> {
  /** What is awaited, for the timeout message: "the deployment to complete". */
  description: string;
  /** Fixed interval between checks: a rollout is watched at a steady pace, not with growing gaps. */
  intervalMs: number;
  timeoutMs: number;
  check: (attempt: number) => Promise<PollResult<T>>;
  /** Appended to the timeout message: what the user can do about it. */
  hint?: string;
  clock?: Clock;
}

/** Calls `check` until it is done or the deadline passes; the last check happens at the deadline. */
export async function pollUntil<T>(options: PollOptions<T>): Promise<T> {
  const { description, intervalMs, timeoutMs, check, hint, clock = systemClock } = options;
  const deadline = clock.now() + timeoutMs;
  let lastState: string | undefined;
  for (let attempt = 1; ; attempt++) {
    const result = await check(attempt);
    if (result.done) return result.value;
    lastState = result.state ?? lastState;
    const remaining = deadline - clock.now();
    if (remaining <= 0) {
      const state = lastState ? ` Last state: ${lastState}.` : '';
      const advice = hint ? ` ${hint}` : '';
      throw new TimeoutError(
        `Timed out after ${formatDuration(timeoutMs)} waiting for ${description} (${attempt} checks).${state}${advice}`,
      );
    }
    await clock.sleep(Math.min(intervalMs, remaining));
  }
}
