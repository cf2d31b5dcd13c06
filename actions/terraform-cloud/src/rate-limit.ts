/** How long to wait before retrying a request HCP Terraform answered with 429, and why. */
export interface RetryDelay {
  ms: number;
  source: 'Retry-After' | 'X-RateLimit-Reset' | 'backoff';
}

const MAX_WAIT_MS = 5 * 60_000;
const BACKOFF_BASE_MS = 1_000;
const BACKOFF_CAP_MS = 30_000;

/**
 * `Retry-After` (seconds or an HTTP date) wins; HCP Terraform also sends `X-RateLimit-Reset`, the seconds (a
 * decimal) until the window resets, which is what its own Go client waits for; without either, back off
 * exponentially from one second.
 */
export function retryDelay(headers: Headers, attempt: number, now: number): RetryDelay {
  const retryAfter = headers.get('retry-after')?.trim();
  if (retryAfter) {
    const seconds = Number(retryAfter);
    if (Number.isFinite(seconds) && seconds >= 0) return { ms: bounded(seconds * 1_000), source: 'Retry-After' };
    const date = Date.parse(retryAfter);
    if (!Number.isNaN(date)) return { ms: bounded(date - now), source: 'Retry-After' };
  }
  const reset = resetMs(headers);
  if (reset !== undefined) return { ms: bounded(reset), source: 'X-RateLimit-Reset' };
  return { ms: Math.min(BACKOFF_BASE_MS * 2 ** attempt, BACKOFF_CAP_MS), source: 'backoff' };
}

/**
 * When a successful answer says the window is used up (`X-RateLimit-Remaining: 0`), the time until it resets:
 * waiting that long is cheaper than collecting a 429.
 */
export function exhaustedWindowMs(headers: Headers): number | undefined {
  const remaining = headers.get('x-ratelimit-remaining');
  if (remaining === null || Number(remaining) > 0) return undefined;
  const reset = resetMs(headers);
  return reset === undefined ? undefined : bounded(reset);
}

function resetMs(headers: Headers): number | undefined {
  const reset = Number(headers.get('x-ratelimit-reset') ?? '');
  return headers.get('x-ratelimit-reset') !== null && Number.isFinite(reset) && reset >= 0 ? reset * 1_000 : undefined;
}

function bounded(ms: number): number {
  return Math.round(Math.min(Math.max(ms, 0), MAX_WAIT_MS));
}
