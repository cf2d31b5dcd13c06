import { Link, Outlet } from 'react-router';
import { ThemeToggle } from '../../components/theme-toggle';
import { UserMenu } from '../../features/auth/components/user-menu';
import { useServices } from '../../lib/services';
import { useAuth } from '../../lib/use-auth';

export function Layout() {
  const { auth } = useServices();
  const { token, session } = useAuth();
  const user = session?.user;
  return (
    <div className="app">
      <header className="app-header">
        <Link to="/" className="brand">
          Notebooks
        </Link>
        <Link to="/kernels" className="nav-link">
          Kernels
        </Link>
        {user?.admin && session?.mode !== 'oidc' && (
          <Link to="/audit" className="nav-link">
            Audit log
          </Link>
        )}
        <ThemeToggle />
        {token && (
          <button type="button" className="link" onClick={() => auth.clearToken()} title="Remove the access token from this browser">
            Forget token
          </button>
        )}
        {user && session?.mode === 'oidc' && <UserMenu user={user} />}
      </header>
      <main className="app-main">
        <Outlet />
      </main>
    </div>
  );
}
