// Who the page acts as. With sign-in (mode "oidc") the session cookie carries the person and every change sends the
// session's CSRF token; a 401 means the session ended, so the sign-in screen shows again. Otherwise the access token:
// asked for when the API answers 401, kept in localStorage, sent on every REST call (Authorization: Bearer) and on
// the WebSocket (a `bearer.<token>` subprotocol, since browsers cannot set headers).
import type { Schema } from '@notebook-ship/api-schema';

export type AuthSession = Schema<'AuthSession'>;
export type SessionUser = Schema<'SessionUser'>;

const STORAGE_KEY = 'notebook-ship.access-token';

export interface AuthSnapshot {
  token: string | null;
  /** Why the user must (re-)enter a token; null while none is asked for. */
  prompt: string | null;
  /** Bumped whenever the token changes, so data is fetched again and sockets reconnect. */
  version: number;
  /** GET /api/auth/session's answer; null until it is known. */
  session: AuthSession | null;
  /** Sign-in is on and nobody is signed in (any more): the sign-in screen shows instead of the app. */
  signInRequired: boolean;
}

type Listener = () => void;

export class AuthStore {
  private snapshot: AuthSnapshot;
  private readonly listeners = new Set<Listener>();

  constructor(private readonly storage: Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> | null) {
    this.snapshot = { token: readToken(storage), prompt: null, version: 0, session: null, signInRequired: false };
  }

  get token(): string | null {
    return this.snapshot.token;
  }

  /** Sent as X-CSRF-Token with every change while signed in. */
  get csrfToken(): string | null {
    return this.snapshot.session?.csrf_token ?? null;
  }

  setSession(session: AuthSession): void {
    this.update({ session, signInRequired: session.mode === 'oidc' && !session.user });
  }

  /** The server answered 401: with sign-in on the session ended (the page signs in again), else a token is needed. */
  unauthorized(): void {
    if (this.snapshot.session?.mode === 'oidc') {
      if (!this.snapshot.signInRequired) this.update({ signInRequired: true });
    } else {
      this.requireToken();
    }
  }

  getSnapshot = (): AuthSnapshot => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  /** The server refused the request: ask for a token (again). */
  requireToken(): void {
    if (this.snapshot.prompt) return;
    const prompt = this.snapshot.token
      ? 'The access token was refused. Enter the current token.'
      : 'This notebook server needs an access token.';
    this.update({ prompt });
  }

  setToken(token: string): void {
    const value = token.trim();
    try {
      this.storage?.setItem(STORAGE_KEY, value);
    } catch {
      // Storage may be full or disabled (private mode): the token then lasts for this page only.
    }
    this.update({ token: value || null, prompt: null, version: this.snapshot.version + 1 });
  }

  clearToken(): void {
    try {
      this.storage?.removeItem(STORAGE_KEY);
    } catch {
      // see setToken
    }
    this.update({ token: null, version: this.snapshot.version + 1 });
  }

  private update(change: Partial<AuthSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }
}

function readToken(storage: Pick<Storage, 'getItem'> | null): string | null {
  try {
    return storage?.getItem(STORAGE_KEY) || null;
  } catch {
    return null;
  }
}

/** Characters allowed in a WebSocket subprotocol (an RFC 7230 token). */
const SUBPROTOCOL_TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

export const WS_PROTOCOL = 'notebook';

/** How to present the token on a WebSocket: a subprotocol when it fits, else the `token` query parameter. */
export function webSocketCredentials(token: string | null): { protocols: string[]; query: string } {
  if (!token) return { protocols: [WS_PROTOCOL], query: '' };
  if (SUBPROTOCOL_TOKEN.test(token)) return { protocols: [WS_PROTOCOL, `bearer.${token}`], query: '' };
  return { protocols: [WS_PROTOCOL], query: `?token=${encodeURIComponent(token)}` };
}

/** localStorage, or null where reading it throws (storage disabled). */
export function browserStorage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export const authStore = new AuthStore(browserStorage());
