import { Link, Outlet } from 'react-router';
import { ThemeToggle } from '../../components/theme-toggle';
import { useServices } from '../../lib/services';
import { useAuth } from '../../lib/use-auth';

export function Layout() {
  const { auth } = useServices();
  const { token } = useAuth();
  return (
    <div className="app">
      <header className="app-header">
        <Link to="/" className="brand">
          Notebooks
        </Link>
        <Link to="/kernels" className="nav-link">
          Kernels
        </Link>
        <ThemeToggle />
        {token && (
          <button type="button" className="link" onClick={() => auth.clearToken()} title="Remove the access token from this browser">
            Forget token
          </button>
        )}
      </header>
      <main className="app-main">
        <Outlet />
      </main>
    </div>
  );
}
