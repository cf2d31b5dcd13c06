/** Which of GitHub's rate limits an answer hit, and how long GitHub asks to wait before the next try. */
export interface GitHubRateLimit {
  kind: 'primary' | 'secondary';
  waitMs: number;
}

export interface RateLimitedAnswer {
  status: number;
  headers: Record<string, string | number | undefined>;
  message: string;
}

const SECONDARY_MINIMUM_MS = 60_000;
const SECONDARY_PATTERN = /secondary rate limit|abuse/i;

/**
 * GitHub's documented rules: a 403 or 429 is a rate limit when it carries `retry-after` (wait those seconds), when
 * `x-ratelimit-remaining` is 0 (wait until `x-ratelimit-reset`, in UTC epoch seconds), or when its message names
 * the secondary limit (wait a minute, doubling on each try). Any other 403 is a permission problem, not retried.
 */
export function githubRateLimit(answer: RateLimitedAnswer, attempt: number, now: number): GitHubRateLimit | undefined {
  if (answer.status !== 403 && answer.status !== 429) return undefined;
  const header = (name: string) => {
    const value = answer.headers[name];
    return value === undefined || value === '' ? undefined : Number(value);
  };
  const secondary = SECONDARY_PATTERN.test(answer.message);
  const retryAfter = header('retry-after');
  if (retryAfter !== undefined && Number.isFinite(retryAfter)) {
    const kind = secondary || header('x-ratelimit-remaining') !== 0 ? 'secondary' : 'primary';
    return { kind, waitMs: Math.max(retryAfter, 0) * 1_000 };
  }
  const reset = header('x-ratelimit-reset');
  if (header('x-ratelimit-remaining') === 0 && reset !== undefined && Number.isFinite(reset)) {
    return { kind: 'primary', waitMs: Math.max(reset * 1_000 - now, 0) };
  }
  if (secondary || answer.status === 429) {
    return { kind: 'secondary', waitMs: SECONDARY_MINIMUM_MS * 2 ** attempt };
  }
  return undefined;
}

export function describeRateLimit(kind: GitHubRateLimit['kind']): string {
  return kind === 'primary' ? "GitHub's primary rate limit (requests per hour)" : "GitHub's secondary rate limit";
}
