import { describe, expect, it } from '@jest/globals';
import { githubRateLimit } from '../src/github-rate-limit';

const NOW = Date.parse('2025-01-01T00:00:00Z');
const SECONDARY = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';

describe('githubRateLimit', () => {
  it('waits the seconds of retry-after on a secondary limit', () => {
    const answer = { status: 403, headers: { 'retry-after': '30' }, message: SECONDARY };
    expect(githubRateLimit(answer, 0, NOW)).toEqual({ kind: 'secondary', waitMs: 30_000 });
  });

  it('waits until x-ratelimit-reset, in epoch seconds, when the primary window is used up', () => {
    const headers = { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(NOW / 1_000 + 90) };
    expect(githubRateLimit({ status: 403, headers, message: 'API rate limit exceeded' }, 0, NOW)).toEqual({
      kind: 'primary',
      waitMs: 90_000,
    });
    expect(githubRateLimit({ status: 429, headers, message: '' }, 0, NOW + 200_000)).toEqual({ kind: 'primary', waitMs: 0 });
  });

  it('waits a minute, doubling, on a secondary limit without headers', () => {
    const answer = { status: 403, headers: {}, message: SECONDARY };
    expect([0, 1, 2].map((attempt) => githubRateLimit(answer, attempt, NOW)?.waitMs)).toEqual([60_000, 120_000, 240_000]);
    expect(githubRateLimit({ status: 429, headers: {}, message: '' }, 0, NOW)?.kind).toBe('secondary');
  });

  it('leaves a 403 without rate-limit signs, and every other status, to the permission checks', () => {
    const headers = { 'x-ratelimit-remaining': '4999', 'x-ratelimit-reset': String(NOW / 1_000 + 90) };
    expect(githubRateLimit({ status: 403, headers, message: 'Resource not accessible by integration' }, 0, NOW)).toBeUndefined();
    expect(githubRateLimit({ status: 404, headers: { 'retry-after': '1' }, message: 'Not Found' }, 0, NOW)).toBeUndefined();
  });
});
