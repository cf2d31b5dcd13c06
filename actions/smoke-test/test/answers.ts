import type { Answer } from '../src/http';

/** An HTTP answer as `request` returns it, for the pure modules' tests. */
export function answer(url: string, status: number, contentType: string, body = '', headers: Record<string, string> = {}): Answer {
  return {
    url: new URL(url),
    status,
    contentType,
    headers: new Headers({ ...(contentType ? { 'content-type': contentType } : {}), ...headers }),
    body: Buffer.from(body),
  };
}
