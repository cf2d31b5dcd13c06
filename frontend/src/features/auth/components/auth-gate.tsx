import { type ReactNode, useCallback, useEffect, useState } from 'react';
import { ApiError } from '../../../lib/api-client';
import { messageOf } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { useAuth } from '../../../lib/use-auth';
import { authApi } from '../api/auth';
import { SignInScreen } from './sign-in-screen';

/** A server from before sign-in has no session endpoint: it asks for its access token as it always did. */
const NO_SIGN_IN = { mode: 'token', user: null, csrf_token: null, login_url: null } as const;

/**
 * Asks the server who is signed in before anything else loads. With sign-in on and nobody signed in (or a session
 * that ended: any 401), the sign-in screen replaces the app; the notebook's unsaved edits stay in this browser and
 * are sent when it opens again.
 */
export function AuthGate({ children }: { children: ReactNode }) {
  const { api, auth } = useServices();
  const { session, signInRequired, version } = useAuth();
  const [problem, setProblem] = useState<string | null>(null);

  const load = useCallback(async () => {
    setProblem(null);
    try {
      auth.setSession(await authApi(api).session());
    } catch (error) {
      if (error instanceof ApiError && error.status === 404) auth.setSession(NO_SIGN_IN);
      else setProblem(messageOf(error));
    }
  }, [api, auth]);

  useEffect(() => {
    if (!auth.getSnapshot().session) void load();
  }, [auth, load]);

  // A new access token is another caller (the token's principal): who that is matters for presence.
  useEffect(() => {
    if (version === 0) return;
    authApi(api)
      .session()
      .then(
        (fresh) => auth.setSession(fresh),
        () => undefined, // the session stays as it was; the calls themselves show what is wrong
      );
  }, [api, auth, version]);

  if (problem) {
    return (
      <div className="page-error" role="alert">
        <h1>Cannot reach the notebook server</h1>
        <p>{problem}</p>
        <button type="button" onClick={() => void load()}>
          Try again
        </button>
      </div>
    );
  }
  if (!session) return <p className="muted">Loading…</p>;
  if (signInRequired) return <SignInScreen loginUrl={session.login_url} expired={session.user !== null} />;
  return children;
}
