// The typed REST client (types generated from the backend's OpenAPI document: @notebook-ship/api-schema).
import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from '@notebook-ship/api-schema';
import { env } from '../config/env';
import { type AuthStore, authStore } from './auth';
import { httpBase } from './urls';

export class ApiError extends Error {
  override name = 'ApiError';

  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

/** FastAPI answers `{"detail": "..."}` or, for invalid bodies, `{"detail": [{"loc": [...], "msg": "..."}]}`. A 401's
 * detail tells API clients how to send the token; the page asks for it instead (with sign-in on, a 401 shows the
 * sign-in screen, so this text is the token's). */
export function errorMessage(status: number, body: unknown): string {
  if (status === 401) return 'The access token is missing or wrong.';
  const detail = (body as { detail?: unknown } | null)?.detail;
  if (typeof detail === 'string') return detail;
  if (Array.isArray(detail)) {
    return detail
      .map((item: { loc?: unknown[]; msg?: string }) => {
        const field = (item.loc ?? []).filter((part) => part !== 'body').join('.');
        return field ? `${field}: ${item.msg ?? 'invalid'}` : (item.msg ?? 'invalid');
      })
      .join('; ');
  }
  if (status === 413) return 'Too large: a cell holds at most 1 MiB of code.';
  return `The server answered ${status}.`;
}

/** The data of an openapi-fetch result, or an ApiError with the server's explanation. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok) return result.data as T;
  throw new ApiError(result.response.status, errorMessage(result.response.status, result.error));
}

/** Methods that change something: the server wants the session's CSRF token with each of them. */
const CHANGES = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const CSRF_HEADER = 'X-CSRF-Token';

export function authMiddleware(auth: AuthStore): Middleware {
  return {
    onRequest({ request }) {
      if (auth.token) request.headers.set('Authorization', `Bearer ${auth.token}`);
      const csrf = auth.csrfToken;
      if (csrf && CHANGES.has(request.method)) request.headers.set(CSRF_HEADER, csrf);
      return request;
    },
    onResponse({ response }) {
      if (response.status === 401) auth.unauthorized();
      return response;
    },
  };
}

export function createApiClient(baseUrl: string, auth: AuthStore, fetchImpl?: (request: Request) => Promise<Response>) {
  const client = createClient<paths>({ baseUrl, ...(fetchImpl ? { fetch: fetchImpl } : {}) });
  client.use(authMiddleware(auth));
  return client;
}

export type ApiClient = ReturnType<typeof createApiClient>;

export const api = createApiClient(httpBase(env.apiBaseUrl, window.location), authStore);
