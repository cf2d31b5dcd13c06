import { useEffect, useId, useRef, useState } from 'react';
import { Link } from 'react-router';
import { Avatar } from '../../../components/avatar';
import type { SessionUser } from '../../../lib/auth';
import { messageOf } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { authApi } from '../api/auth';

interface Props {
  user: SessionUser;
  /** After signing out the page loads again and shows the sign-in screen; a test hands in a recorder. */
  reload?: () => void;
}

/** The signed-in person in the page header: their avatar opens their name, e-mail, the audit log (admins) and Sign out. */
export function UserMenu({ user, reload = () => window.location.reload() }: Props) {
  const { api } = useServices();
  const [open, setOpen] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const onPointer = (event: PointerEvent) => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    document.addEventListener('pointerdown', onPointer);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('pointerdown', onPointer);
      document.removeEventListener('keydown', onKey);
    };
  }, [open]);

  const signOut = async () => {
    setProblem(null);
    try {
      await authApi(api).logout();
      reload();
    } catch (error) {
      setProblem(`Could not sign out: ${messageOf(error)}`);
    }
  };

  return (
    <div className="user-menu" ref={root}>
      <button
        type="button"
        className="user-menu-button"
        aria-label={`Account: ${user.name}`}
        aria-expanded={open}
        aria-controls={panelId}
        onClick={() => setOpen(!open)}
      >
        <Avatar name={user.name} id={user.id} />
      </button>
      {open && (
        <div className="user-menu-panel" id={panelId} role="group" aria-label="Account">
          <p className="user-name">{user.name}</p>
          {user.email && <p className="user-email muted">{user.email}</p>}
          {user.admin && (
            <Link to="/audit" className="nav-link" onClick={() => setOpen(false)}>
              Audit log
            </Link>
          )}
          <button type="button" className="sign-out" onClick={() => void signOut()}>
            Sign out
          </button>
          {problem && (
            <p className="problem" role="alert">
              {problem}
            </p>
          )}
        </div>
      )}
    </div>
  );
}
