import { describe, expect, it } from '@jest/globals';
import { NoAnswer, type Answer } from '../src/http';
import { backoffDelay, judgeHealth, waitUntilReady } from '../src/ready';
import { answer } from './answers';

const HEALTH = 'https://d111.cloudfront.net/health';
const healthy = (version: string) => answer(HEALTH, 200, 'application/json', JSON.stringify({ status: 'ok', version }));
const refused = () => new NoAnswer(`GET ${HEALTH}: connection refused (connect ECONNREFUSED)`);

describe('backoffDelay', () => {
  it('doubles from 1 s up to 10 s', () => {
    expect([1, 2, 3, 4, 5, 6, 20].map(backoffDelay)).toEqual([1_000, 2_000, 4_000, 8_000, 10_000, 10_000, 10_000]);
  });
});

describe('judgeHealth', () => {
  it('is ready on {"status":"ok"} with the expected version, or any version when none is expected', () => {
    expect(judgeHealth(healthy('abc'), 'abc', false)).toEqual({ ready: true, version: 'abc' });
    expect(judgeHealth(healthy('abc'), '', false)).toEqual({ ready: true, version: 'abc' });
  });

  it('says why it is not ready yet', () => {
    expect(judgeHealth(healthy('old'), 'new', false)).toEqual({
      ready: false,
      kind: 'other-version',
      version: 'old',
      reason: 'reports version "old", waiting for "new"',
    });
    expect(judgeHealth(refused(), '', false)).toMatchObject({ ready: false, kind: 'no-answer', reason: refused().message });
    expect(judgeHealth(answer(HEALTH, 200, 'text/html', '<!doctype html><title>Notebooks</title>'), '', false)).toMatchObject({
      kind: 'bad-answer',
      reason: expect.stringMatching(/^\/health returned text\/html: is \/health routed to the ALB in CloudFront\?/),
    });
    expect(judgeHealth(answer(HEALTH, 200, 'application/json', '{"status":"starting"}'), '', false)).toMatchObject({
      kind: 'bad-answer',
      reason: 'GET /health answered {"status":"starting"} instead of {"status": "ok", ...}',
    });
    expect(judgeHealth(answer(HEALTH, 503, 'text/html', '503 Service Temporarily Unavailable'), '', false)).toMatchObject({
      kind: 'bad-answer',
      reason: expect.stringMatching(/^GET \/health returned HTTP 503 \(503 Service Temporarily Unavailable\): no healthy answer/),
    });
  });
});

/** A clock that only moves when slept on, and a /health that answers from a script. */
function scripted(script: (Answer | NoAnswer)[]) {
  let time = 0;
  const sleeps: number[] = [];
  const timeouts: number[] = [];
  const log: string[] = [];
  return {
    sleeps,
    timeouts,
    log,
    options: {
      healthUrl: new URL(HEALTH),
      tokenGiven: false,
      probe: async (timeoutMs: number) => {
        timeouts.push(timeoutMs);
        time += 100;
        // The last answer repeats forever.
        const next = (script.length > 1 ? script.shift() : script[0]) as Answer | NoAnswer;
        if (next instanceof NoAnswer) throw next;
        return next;
      },
      now: () => time,
      sleep: async (ms: number) => {
        sleeps.push(ms);
        time += ms;
      },
      log: (line: string) => log.push(line),
    },
  };
}

describe('waitUntilReady', () => {
  it('retries with backoff until the service answers with the expected version', async () => {
    const run = scripted([refused(), refused(), healthy('old'), healthy('new')]);
    const ready = await waitUntilReady({ ...run.options, expectedVersion: 'new', timeoutMs: 60_000 });
    expect(ready).toEqual({ version: 'new', attempts: 4, waitedMs: 7_400 });
    expect(run.sleeps).toEqual([1_000, 2_000, 4_000]);
    expect(run.log).toEqual([
      `${HEALTH}: attempt 1: GET ${HEALTH}: connection refused (connect ECONNREFUSED); next look in 1s.`,
      `${HEALTH}: attempt 2: GET ${HEALTH}: connection refused (connect ECONNREFUSED); next look in 2s.`,
      `${HEALTH}: attempt 3: reports version "old", waiting for "new"; next look in 4s.`,
    ]);
  });

  it('makes its last look at the deadline, then says what it saw', async () => {
    const run = scripted([healthy('old')]);
    await expect(waitUntilReady({ ...run.options, expectedVersion: 'new', timeoutMs: 20_000 })).rejects.toThrow(
      `${HEALTH} still reports version "old" after 20s (6 attempts), expected "new": the new task has not taken over and ` +
        'the old one still answers.',
    );
    // 1 + 2 + 4 + 8 s, then only what is left until the deadline.
    expect(run.sleeps).toEqual([1_000, 2_000, 4_000, 8_000, 4_500]);
    // No request outlives the deadline by more than a second.
    expect(run.timeouts.at(-1)).toBe(1_000);
  });

  it('reports a service that never answered, and one that answers wrong', async () => {
    const down = scripted([refused()]);
    await expect(waitUntilReady({ ...down.options, expectedVersion: '', timeoutMs: 3_000 })).rejects.toThrow(
      `The service did not become ready after 3s (3 attempts): GET ${HEALTH}: connection refused (connect ECONNREFUSED). ` +
        'Is the ECS service running a task',
    );
    const spa = scripted([answer(HEALTH, 200, 'text/html', '<!doctype html>')]);
    await expect(waitUntilReady({ ...spa.options, expectedVersion: '', timeoutMs: 1_000 })).rejects.toThrow(
      'The service did not become ready after 1s (2 attempts): /health returned text/html: is /health routed to the ALB in CloudFront?',
    );
  });
});
