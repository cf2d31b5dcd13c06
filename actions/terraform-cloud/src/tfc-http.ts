import { ConfigurationError, formatDuration, systemClock, type Clock } from '@notebook-ship/action-kit';
import { isLoopbackUrl } from './hostname';
import { exhaustedWindowMs, retryDelay } from './rate-limit';

const JSON_API = 'application/vnd.api+json';

export interface TfcHttpOptions {
  /** `https://app.terraform.io`, from `resolveOrigin`. */
  origin: string;
  token: string;
  clock?: Clock;
  log?: (message: string) => void;
  /** 429 answers in a row before giving up on one request. */
  maxRateLimitRetries?: number;
  /** Network errors and 5xx answers in a row before giving up on a GET. */
  maxServerRetries?: number;
  requestTimeoutMs?: number;
}

export interface RequestOptions {
  body?: unknown;
  /** Non-2xx statuses the caller handles itself instead of getting a TfcApiError. */
  allow?: readonly number[];
}

/** An answer of the API the action cannot go on with; the message says what the user can do about it. */
export class TfcApiError extends ConfigurationError {
  override name = 'TfcApiError';
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/**
 * The one way the action talks to HCP Terraform: bearer token, JSON:API documents, and patience with rate limits
 * (429 answers are retried after `Retry-After`/`X-RateLimit-Reset`, and an exhausted window is waited out before
 * the next request). GETs also survive brief network errors and 5xx answers; POSTs are never repeated after
 * one, because HCP Terraform may have acted on them.
 */
export class TfcHttp {
  private readonly clock: Clock;
  private readonly log: (message: string) => void;
  private notBefore = 0;

  constructor(private readonly options: TfcHttpOptions) {
    this.clock = options.clock ?? systemClock;
    this.log = options.log ?? (() => undefined);
  }

  get origin(): string {
    return this.options.origin;
  }

  /** A JSON:API request to `/api/v2<path>`; undefined body for empty answers (202, 204). */
  async json<T>(method: string, path: string, options: RequestOptions = {}): Promise<{ status: number; body?: T }> {
    const response = await this.request(method, path, options);
    const text = await response.text();
    return { status: response.status, body: text ? (JSON.parse(text) as T) : undefined };
  }

  /** The raw answer, redirects not followed, so the caller decides where the token may go. */
  async request(method: string, path: string, { body, allow = [] }: RequestOptions = {}): Promise<Response> {
    const headers: Record<string, string> = { Authorization: `Bearer ${this.options.token}`, Accept: JSON_API };
    if (body !== undefined) headers['Content-Type'] = JSON_API;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const init: RequestInit = { method, headers, body: payload, redirect: 'manual' };
    const response = await this.send(method, `${this.options.origin}/api/v2${path}`, init, allow);
    if (response.status >= 300 && !allow.includes(response.status)) {
      throw await apiError(method, path, response);
    }
    return response;
  }

  /**
   * A pre-signed archivist URL (configuration upload, JSON plan, logs): it carries its own secret, so the token is
   * never sent there. Only https URLs are used, or loopback ones for a test server.
   */
  async unauthenticated(method: 'GET' | 'PUT', url: string, body?: Uint8Array): Promise<Response> {
    if (!/^https:\/\//i.test(url) && !isLoopbackUrl(url)) {
      throw new ConfigurationError(`HCP Terraform handed out a non-https URL (${redact(url)}); refusing to use it.`);
    }
    const headers: Record<string, string> = body ? { 'Content-Type': 'application/octet-stream' } : {};
    // A copy typed as the fetch body type wants it (an ArrayBuffer-backed view).
    const payload = body ? new Uint8Array(body) : undefined;
    return this.send(method, url, { method, headers, body: payload, redirect: 'follow' });
  }

  private async send(method: string, url: string, init: RequestInit, allow: readonly number[] = []): Promise<Response> {
    const { maxRateLimitRetries = 10, maxServerRetries = 3, requestTimeoutMs = 60_000 } = this.options;
    const label = `${method} ${describe(url, this.options.origin)}`;
    const retriable = method === 'GET';
    let rateLimited = 0;
    let failures = 0;
    for (;;) {
      const wait = this.notBefore - this.clock.now();
      if (wait > 0) await this.clock.sleep(wait);
      let response: Response;
      try {
        response = await fetch(url, { ...init, signal: AbortSignal.timeout(requestTimeoutMs) });
      } catch (error) {
        const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
        const reason = cause instanceof Error ? cause.message : String(cause);
        if (retriable && failures < maxServerRetries) {
          failures++;
          this.log(`${label} failed (${reason}); retrying.`);
          await this.clock.sleep(1_000 * failures);
          continue;
        }
        throw new ConfigurationError(`Could not reach ${this.options.origin} (${label}): ${reason}.`);
      }
      const exhausted = exhaustedWindowMs(response.headers);
      if (exhausted !== undefined) this.notBefore = this.clock.now() + exhausted;
      if (response.status === 429 && rateLimited < maxRateLimitRetries) {
        const delay = retryDelay(response.headers, rateLimited, this.clock.now());
        rateLimited++;
        this.log(`Rate limited by HCP Terraform on ${label}: waiting ${formatDuration(delay.ms)} (${delay.source}).`);
        await response.body?.cancel();
        await this.clock.sleep(delay.ms);
        continue;
      }
      if (response.status >= 500 && !allow.includes(response.status) && retriable && failures < maxServerRetries) {
        failures++;
        this.log(`${label} answered ${response.status}; retrying.`);
        await response.body?.cancel();
        await this.clock.sleep(1_000 * failures);
        continue;
      }
      return response;
    }
  }
}

async function apiError(method: string, path: string, response: Response): Promise<TfcApiError> {
  const details = errorDetails(await response.text().catch(() => ''));
  const request = `${method} ${path}`;
  const suffix = details ? `: ${details}` : '.';
  switch (response.status) {
    case 401:
      return new TfcApiError(
        `HCP Terraform rejected the token (401 on ${request}). Set the "token" input or TF_API_TOKEN to a valid ` +
          'user or team API token (organization tokens cannot queue runs).',
        401,
      );
    case 404:
      return new TfcApiError(
        `HCP Terraform answered 404 to ${request}: it does not exist, or the token has no access to it${suffix}`,
        404,
      );
    case 429:
      return new TfcApiError(`HCP Terraform kept rate-limiting ${request}; giving up${suffix}`, 429);
    default:
      return new TfcApiError(`HCP Terraform answered ${response.status} to ${request}${suffix}`, response.status);
  }
}

/** The `errors` of a JSON:API error document as one line; the raw text when it is something else. */
function errorDetails(text: string): string {
  try {
    const document = JSON.parse(text) as { errors?: Array<{ title?: string; detail?: string } | string> };
    if (Array.isArray(document.errors)) {
      return document.errors
        .map((error) => (typeof error === 'string' ? error : [error.title, error.detail].filter(Boolean).join(': ')))
        .filter(Boolean)
        .join('; ');
    }
  } catch {
    // not JSON
  }
  return text.trim().slice(0, 300);
}

function describe(url: string, origin: string): string {
  if (url.startsWith(`${origin}/api/v2`)) return url.slice(origin.length + '/api/v2'.length);
  return redact(url);
}

/** Archivist URLs embed their secret in the path: only the host is ever logged. */
function redact(url: string): string {
  try {
    return `${new URL(url).origin}/…`;
  } catch {
    return 'an invalid URL';
  }
}
