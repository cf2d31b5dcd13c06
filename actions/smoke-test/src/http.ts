import { ConfigurationError, formatDuration } from '@notebook-ship/action-kit';
import { Cancelled } from './abort';

export interface Answer {
  /** After redirects. */
  url: URL;
  status: number;
  /** The media type alone, lower case: `text/html`, `application/json`; empty when the header is missing. */
  contentType: string;
  headers: Headers;
  body: Buffer;
}

export interface RequestOptions {
  method?: string;
  headers?: Record<string, string>;
  /** Sent as JSON. */
  json?: unknown;
  timeoutMs: number;
  signal: AbortSignal;
}

/** The request failed before any HTTP answer: refused, reset, TLS, DNS, or no answer in time. */
export class NoAnswer extends ConfigurationError {
  override name = 'NoAnswer';
}

export async function request(url: URL, options: RequestOptions): Promise<Answer> {
  const { method = 'GET', headers = {}, json, timeoutMs, signal } = options;
  const timeout = AbortSignal.timeout(timeoutMs);
  try {
    const response = await fetch(url, {
      method,
      headers: json === undefined ? headers : { 'content-type': 'application/json', ...headers },
      body: json === undefined ? undefined : JSON.stringify(json),
      signal: AbortSignal.any([signal, timeout]),
      redirect: 'follow',
    });
    const body = Buffer.from(await response.arrayBuffer());
    return {
      url: new URL(response.url || url.href),
      status: response.status,
      contentType: mediaType(response.headers.get('content-type')),
      headers: response.headers,
      body,
    };
  } catch (error) {
    if (signal.aborted) throw new Cancelled();
    if (timeout.aborted) throw new NoAnswer(`${method} ${url.href}: no answer within ${formatDuration(timeoutMs)}`);
    throw new NoAnswer(`${method} ${url.href}: ${networkReason(error)}`);
  }
}

export function mediaType(header: string | null): string {
  return (header ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
}

/** `connection refused (ECONNREFUSED 127.0.0.1:8000)` rather than fetch's bare "fetch failed". */
export function networkReason(error: unknown): string {
  const cause = (error as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code === 'ECONNREFUSED') return `connection refused (${cause.message ?? cause.code})`;
  if (cause?.code === 'ENOTFOUND') return `the host name does not resolve (${cause.message ?? cause.code})`;
  if (cause?.message) return cause.code && !cause.message.includes(cause.code) ? `${cause.message} (${cause.code})` : cause.message;
  return error instanceof Error ? error.message : String(error);
}

export function parseJson(answer: Answer): unknown {
  try {
    return JSON.parse(answer.body.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The start of a body for a message: enough to recognise an error page, never a whole document. */
export function excerpt(answer: Answer, length = 160): string {
  const text = answer.body.toString('utf8').replace(/\s+/g, ' ').trim();
  return text.length > length ? `${text.slice(0, length)}…` : text;
}
