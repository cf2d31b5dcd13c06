import { describe, expect, it } from '@jest/globals';
import { exhaustedWindowMs, retryDelay } from '../src/rate-limit';

const NOW = Date.parse('2025-01-01T00:00:00Z');

describe('retryDelay', () => {
  it('waits the seconds of Retry-After first', () => {
    expect(retryDelay(new Headers({ 'Retry-After': '3', 'X-RateLimit-Reset': '0.2' }), 0, NOW)).toEqual({
      ms: 3_000,
      source: 'Retry-After',
    });
  });

  it('understands Retry-After as an HTTP date', () => {
    const headers = new Headers({ 'Retry-After': new Date(NOW + 7_000).toUTCString() });
    expect(retryDelay(headers, 0, NOW)).toEqual({ ms: 7_000, source: 'Retry-After' });
  });

  it('falls back to X-RateLimit-Reset, the decimal seconds until the window resets', () => {
    expect(retryDelay(new Headers({ 'X-RateLimit-Reset': '0.35' }), 0, NOW)).toEqual({ ms: 350, source: 'X-RateLimit-Reset' });
  });

  it('backs off exponentially without either header, up to 30 s', () => {
    const none = new Headers();
    expect([0, 1, 2, 3, 10].map((attempt) => retryDelay(none, attempt, NOW).ms)).toEqual([1_000, 2_000, 4_000, 8_000, 30_000]);
    expect(retryDelay(none, 0, NOW).source).toBe('backoff');
  });

  it('never waits longer than five minutes, nor a negative time', () => {
    expect(retryDelay(new Headers({ 'Retry-After': '86400' }), 0, NOW).ms).toBe(300_000);
    expect(retryDelay(new Headers({ 'Retry-After': new Date(NOW - 5_000).toUTCString() }), 0, NOW).ms).toBe(0);
  });
});

describe('exhaustedWindowMs', () => {
  it('says how long to pause when a successful answer used up the window', () => {
    expect(exhaustedWindowMs(new Headers({ 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '0.5' }))).toBe(500);
  });

  it('does not pause while requests remain or without a reset time', () => {
    expect(exhaustedWindowMs(new Headers({ 'X-RateLimit-Remaining': '12', 'X-RateLimit-Reset': '0.5' }))).toBeUndefined();
    expect(exhaustedWindowMs(new Headers({ 'X-RateLimit-Remaining': '0' }))).toBeUndefined();
    expect(exhaustedWindowMs(new Headers())).toBeUndefined();
  });
});
