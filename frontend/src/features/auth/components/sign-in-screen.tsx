import { signInUrl } from '../api/auth';

interface Props {
  loginUrl: string | null;
  /** The person was signed in and the session ended (a 401): say so, and that their edits are kept. */
  expired: boolean;
  /** Leaves for the identity provider; a test hands in a recorder. */
  go?: (url: string) => void;
}

export function SignInScreen({ loginUrl, expired, go = (url) => window.location.assign(url) }: Props) {
  const here = window.location;
  const signIn = () => {
    if (loginUrl) go(signInUrl(loginUrl, here.pathname + here.search + here.hash, here.href));
  };
  return (
    <main className="sign-in" aria-labelledby="sign-in-title">
      <h1 id="sign-in-title">{expired ? 'Your session has ended' : 'Notebooks'}</h1>
      <p>
        {expired
          ? 'Sign in again to go on. Edits not yet saved are kept in this browser and saved once you are back.'
          : 'Sign in with your organisation’s account to open the notebooks.'}
      </p>
      {loginUrl ? (
        <button type="button" className="primary sign-in-button" onClick={signIn} autoFocus>
          Sign in
        </button>
      ) : (
        <p className="problem" role="alert">
          The server did not say where to sign in: its sign-in settings are incomplete.
        </p>
      )}
    </main>
  );
}
