// A fetch double for the typed client: routes like 'GET /api/notebooks/:notebook_id' answer with JSON, and every
// request is recorded with its method, path, headers and body.
import { type ApiClient, createApiClient } from '../lib/api-client';
import type { AuthStore } from '../lib/auth';

export interface RecordedRequest {
  method: string;
  path: string;
  authorization: string | null;
  csrf: string | null;
  body: unknown;
}

/** Answers a request: its path parameters, its JSON body, and its URL (for the query). */
type Handler = (params: Record<string, string>, body: unknown, url: URL) => Response | Promise<Response>;

export const json = (body: unknown, status = 200): Response =>
  new Response(body === undefined ? null : JSON.stringify(body), {
    status,
    headers: { 'content-type': 'application/json' },
  });

export function fakeApi(auth: AuthStore, routes: Record<string, Handler>): { api: ApiClient; requests: RecordedRequest[] } {
  const requests: RecordedRequest[] = [];
  const fetch = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const text = await request.text();
    const body = text ? JSON.parse(text) : undefined;
    requests.push({
      method: request.method,
      path: url.pathname,
      authorization: request.headers.get('authorization'),
      csrf: request.headers.get('x-csrf-token'),
      body,
    });
    for (const [route, handler] of Object.entries(routes)) {
      const [method, pattern] = route.split(' ') as [string, string];
      const params = match(pattern, url.pathname);
      if (method === request.method && params) return handler(params, body, url);
    }
    return json({ detail: `no fake for ${request.method} ${url.pathname}` }, 404);
  };
  return { api: createApiClient('http://api.test', auth, fetch), requests };
}

function match(pattern: string, path: string): Record<string, string> | null {
  const names: string[] = [];
  const regex = new RegExp(
    `^${pattern.replace(/:(\w+)/g, (_, name: string) => {
      names.push(name);
      return '([^/]+)';
    })}$`,
  );
  const found = regex.exec(path);
  if (!found) return null;
  return Object.fromEntries(names.map((name, index) => [name, decodeURIComponent(found[index + 1] ?? '')]));
}
