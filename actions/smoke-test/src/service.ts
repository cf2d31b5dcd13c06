import { ConfigurationError } from '@notebook-ship/action-kit';
import { excerpt, parseJson, request, type Answer } from './http';

/** Which credential a request carries: the given token, none, or a deliberately wrong one (the auth check). */
export type Credential = 'token' | 'none' | 'wrong';

export interface CallOptions {
  json?: unknown;
  credential?: Credential;
  /** Statuses that are a success; anything else throws with an explanation. */
  expect: readonly number[];
}

export const REQUEST_TIMEOUT_MS = 15_000;

/** The notebook service's REST API under a base URL, with the access token when one is given. */
export class Service {
  constructor(
    readonly base: URL,
    private readonly token: string,
    readonly signal: AbortSignal,
  ) {}

  get tokenGiven(): boolean {
    return this.token !== '';
  }

  /** `api/notebooks` → `<base>api/notebooks`: relative, so a base with a path keeps it. */
  url(path: string): URL {
    return new URL(path, this.base);
  }

  headers(credential: Credential): Record<string, string> {
    if (credential === 'none' || (credential === 'token' && !this.token)) return {};
    const token = credential === 'wrong' ? `${this.token || 'smoke-test'}-wrong` : this.token;
    return { authorization: `Bearer ${token}` };
  }

  async send(method: string, path: string, credential: Credential = 'token', json?: unknown): Promise<Answer> {
    return request(this.url(path), { method, json, headers: this.headers(credential), timeoutMs: REQUEST_TIMEOUT_MS, signal: this.signal });
  }

  /** The parsed JSON body (undefined for 204), or a ConfigurationError saying what is wrong and where to look. */
  async call(method: string, path: string, { json, credential = 'token', expect }: CallOptions): Promise<unknown> {
    const answer = await this.send(method, path, credential, json);
    if (!expect.includes(answer.status)) throw new ConfigurationError(explainAnswer(method, answer, this.tokenGiven));
    if (answer.status === 204) return undefined;
    const body = answer.contentType === 'application/json' ? parseJson(answer) : undefined;
    if (body === undefined) throw new ConfigurationError(explainAnswer(method, answer, this.tokenGiven));
    return body;
  }
}

/** Why an answer is not what the service gives, in terms of what to fix: routing, the token, the task. */
export function explainAnswer(method: string, answer: Answer, tokenGiven: boolean): string {
  const path = answer.url.pathname;
  const what = `${method} ${path}`;
  const routed = path === '/health' || path.endsWith('/health') ? '/health' : '/api/*';
  const text = excerpt(answer);
  if (answer.status >= 500) {
    return (
      `${what} returned HTTP ${answer.status}${text ? ` (${text})` : ''}: no healthy answer from the service — is the ` +
      'ECS task running and healthy in the load balancer target group? Its logs say why it fails.'
    );
  }
  if (answer.status === 401) {
    return tokenGiven
      ? `${what} returned 401: the service rejected the access token — access-token must equal the service's ACCESS_TOKEN.`
      : `${what} returned 401: the service requires an access token — set the access-token input to its ACCESS_TOKEN (from a secret).`;
  }
  if (answer.contentType === 'text/html') {
    return `${path} returned text/html: is ${routed} routed to the ALB in CloudFront? (HTTP ${answer.status}, "${excerpt(answer, 60)}")`;
  }
  if (answer.status === 403) {
    return (
      `${what} returned 403${text ? ` (${text})` : ''}: refused before the app — the load balancer only serves requests ` +
      'that come through CloudFront (use the CloudFront URL), or a WAF rule blocked the request.'
    );
  }
  if (answer.status >= 200 && answer.status < 300) {
    return `${what} returned ${answer.contentType || 'no Content-Type'} instead of JSON (HTTP ${answer.status}${text ? `: ${text}` : ''}).`;
  }
  return `${what} returned HTTP ${answer.status}${text ? `: ${text}` : ''}.`;
}
