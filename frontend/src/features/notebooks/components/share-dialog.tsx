// Who else may open the notebook (docs/API.md: access): people by e-mail and groups of the identity provider, each
// as an editor or a viewer. Only the owner (or an admin) sees this.
import { type FormEvent, useEffect, useId, useMemo, useState } from 'react';
import { messageOf } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { type NotebookAccess, notebooksApi, type ShareEntry } from '../api/notebooks';

type Kind = ShareEntry['kind'];
type ShareRole = ShareEntry['role'];

const KIND_TEXT: Record<Kind, string> = { user: 'Person', group: 'Group' };
const ROLE_TEXT: Record<ShareRole, string> = { editor: 'Editor (edit and run)', viewer: 'Viewer (read only)' };

/** One share per person or group: adding one again changes its role. */
export function withShare(shares: readonly ShareEntry[], entry: ShareEntry): ShareEntry[] {
  const same = (other: ShareEntry) => other.kind === entry.kind && other.name.toLowerCase() === entry.name.toLowerCase();
  return shares.some(same) ? shares.map((other) => (same(other) ? entry : other)) : [...shares, entry];
}

interface Props {
  notebookId: string;
  onClose: () => void;
}

export function ShareDialog({ notebookId, onClose }: Props) {
  const { api } = useServices();
  const calls = useMemo(() => notebooksApi(api), [api]);
  const [access, setAccess] = useState<NotebookAccess | null>(null);
  const [shares, setShares] = useState<ShareEntry[]>([]);
  const [kind, setKind] = useState<Kind>('user');
  const [name, setName] = useState('');
  const [role, setRole] = useState<ShareRole>('viewer');
  const [problem, setProblem] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const titleId = useId();

  useEffect(() => {
    let current = true;
    calls.access(notebookId).then(
      (found) => {
        if (!current) return;
        setAccess(found);
        setShares(found.shares);
      },
      (error: unknown) => current && setProblem(`Could not read who has access: ${messageOf(error)}`),
    );
    return () => {
      current = false;
    };
  }, [calls, notebookId]);

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && onClose();
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [onClose]);

  /** The typed entry, or null when the name field is empty; an invalid name is a problem shown to the user. */
  const typed = (): ShareEntry | null | 'invalid' => {
    const trimmed = name.trim();
    if (!trimmed) return null;
    if (/\s/.test(trimmed) || (kind === 'user' && !trimmed.includes('@'))) {
      setProblem(kind === 'user' ? 'A person is named by their e-mail address.' : 'A group name has no spaces.');
      return 'invalid';
    }
    return { kind, name: trimmed, role };
  };

  const add = (event: FormEvent) => {
    event.preventDefault();
    setProblem(null);
    const entry = typed();
    if (entry === null || entry === 'invalid') return;
    setShares((previous) => withShare(previous, entry));
    setName('');
  };

  const save = async () => {
    setProblem(null);
    const entry = typed();
    if (entry === 'invalid') return;
    const next = entry ? withShare(shares, entry) : shares;
    setSaving(true);
    try {
      await calls.setAccess(notebookId, next);
      onClose();
    } catch (error) {
      setShares(next);
      setName('');
      setProblem(`Not saved: ${messageOf(error)}`);
      setSaving(false);
    }
  };

  return (
    <div className="overlay">
      <div className="dialog share-dialog" role="dialog" aria-modal="true" aria-labelledby={titleId}>
        <h2 id={titleId}>Share</h2>
        {access && (
          <p className="share-owner">
            {access.owner ? (
              <>
                Owner: <strong>{access.owner}</strong>
              </>
            ) : (
              'No owner: this notebook was made before sign-in; only admins see it until it is shared.'
            )}
          </p>
        )}
        {!access && !problem && <p className="muted">Loading…</p>}
        {access && (
          <ul className="shares" aria-label="Shared with">
            {shares.length === 0 && <li className="muted">Shared with nobody else yet.</li>}
            {shares.map((share) => (
              <li key={`${share.kind}:${share.name}`} className="share">
                <span className="share-kind">{KIND_TEXT[share.kind]}</span>
                <span className="share-name">{share.name}</span>
                <select
                  aria-label={`Role of ${share.name}`}
                  value={share.role}
                  onChange={(event) => setShares(withShare(shares, { ...share, role: event.target.value as ShareRole }))}
                >
                  <option value="editor">{ROLE_TEXT.editor}</option>
                  <option value="viewer">{ROLE_TEXT.viewer}</option>
                </select>
                <button
                  type="button"
                  className="link"
                  aria-label={`Remove ${share.name}`}
                  onClick={() => setShares(shares.filter((other) => other !== share))}
                >
                  Remove
                </button>
              </li>
            ))}
          </ul>
        )}
        {access && (
          <form className="share-add" onSubmit={add} aria-label="Add a share">
            <select aria-label="Share with" value={kind} onChange={(event) => setKind(event.target.value as Kind)}>
              <option value="user">A person</option>
              <option value="group">A group</option>
            </select>
            <input
              aria-label={kind === 'user' ? 'E-mail' : 'Group name'}
              name="share-name"
              placeholder={kind === 'user' ? 'name@example.com' : 'data-team'}
              value={name}
              maxLength={320}
              onChange={(event) => setName(event.target.value)}
            />
            <select aria-label="Role" value={role} onChange={(event) => setRole(event.target.value as ShareRole)}>
              <option value="viewer">{ROLE_TEXT.viewer}</option>
              <option value="editor">{ROLE_TEXT.editor}</option>
            </select>
            <button type="submit">Add</button>
          </form>
        )}
        {problem && (
          <p className="problem" role="alert">
            {problem}
          </p>
        )}
        <div className="dialog-actions">
          <button type="button" onClick={onClose}>
            Cancel
          </button>
          <button type="button" className="primary" onClick={() => void save()} disabled={!access || saving}>
            Save
          </button>
        </div>
      </div>
    </div>
  );
}
