// The sign-in endpoints (docs/API.md: sign-in): who is signed in, and signing out.
import { type ApiClient, unwrap } from '../../../lib/api-client';

export const authApi = (api: ApiClient) => ({
  session: async () => unwrap(await api.GET('/api/auth/session')),
  logout: async () => {
    unwrap(await api.POST('/api/auth/logout'));
  },
});

/** Where the browser signs in: the server's login URL, told to come back to `path` (this page). */
export function signInUrl(loginUrl: string, path: string, base: string): string {
  const url = new URL(loginUrl, base);
  url.searchParams.set('next', path);
  // A relative login URL stays relative: the server answers it on this origin.
  return url.origin === new URL(base).origin ? url.pathname + url.search : url.href;
}
