import { type FormEvent, useState } from 'react';
import { Link, useNavigate } from 'react-router';
import { messageOf, plural, timeAgo } from '../../../lib/format';
import { useAuth } from '../../../lib/use-auth';
import type { NotebookSummary } from '../api/notebooks';
import { useNotebookList } from '../hooks/use-notebook-list';
import { mayDelete, mayEdit } from '../model/roles';
import { ImportButton } from './notebook-transfer';
import { RecentlyDeleted } from './recently-deleted';

export function NotebookList() {
  const list = useNotebookList();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [busy, setBusy] = useState(false);
  const [problem, setProblem] = useState<string | null>(null);

  const create = async (event: FormEvent) => {
    event.preventDefault();
    setBusy(true);
    setProblem(null);
    try {
      const id = await list.create(name.trim() || undefined);
      await navigate(`/notebooks/${encodeURIComponent(id)}`);
    } catch (error) {
      setProblem(messageOf(error));
      setBusy(false);
    }
  };

  return (
    <section className="notebook-list">
      <div className="page-title">
        <h1>Notebooks</h1>
        <form className="create-notebook" onSubmit={create}>
          <input
            aria-label="New notebook name"
            placeholder="Untitled notebook"
            value={name}
            maxLength={200}
            onChange={(event) => setName(event.target.value)}
          />
          <button type="submit" className="primary" disabled={busy}>
            New notebook
          </button>
        </form>
        <ImportButton onImported={(id) => navigate(`/notebooks/${encodeURIComponent(id)}`)} />
      </div>
      {problem && <p className="problem" role="alert">{problem}</p>}
      {list.status === 'error' && (
        <p className="problem" role="alert">
          Could not load the notebooks: {list.error}{' '}
          <button type="button" className="link" onClick={() => void list.reload()}>
            Try again
          </button>
        </p>
      )}
      {list.status === 'loading' && <p className="muted">Loading…</p>}
      {list.status === 'ready' && list.notebooks.length === 0 && (
        <p className="muted">No notebooks yet: create the first one.</p>
      )}
      <ul className="notebooks" aria-label="Notebooks">
        {list.notebooks.map((notebook) => (
          <NotebookRow key={notebook.id} notebook={notebook} rename={list.rename} remove={list.remove} />
        ))}
      </ul>
      <RecentlyDeleted listed={list.notebooks} onRestored={list.reload} />
    </section>
  );
}

const ROLE_TEXT: Record<NotebookSummary['role'], string> = { owner: 'Owner', editor: 'Editor', viewer: 'Viewer' };
const ROLE_HINT: Record<NotebookSummary['role'], string> = {
  owner: 'You own it: you can edit, run, share and delete it',
  editor: 'Shared with you: you can edit and run it',
  viewer: 'Shared with you to read: you cannot change or run it',
};

interface RowProps {
  notebook: NotebookSummary;
  rename: (id: string, name: string) => Promise<void>;
  remove: (id: string) => Promise<void>;
}

function NotebookRow({ notebook, rename, remove }: RowProps) {
  // Without sign-in everyone is the local admin, the owner of everything: roles say nothing then.
  const signedIn = useAuth().session?.mode === 'oidc';
  const [mode, setMode] = useState<'view' | 'rename' | 'confirm-delete'>('view');
  const [draft, setDraft] = useState(notebook.name);
  const [problem, setProblem] = useState<string | null>(null);

  const attempt = async (action: () => Promise<void>) => {
    setProblem(null);
    try {
      await action();
      setMode('view');
    } catch (error) {
      setProblem(messageOf(error));
    }
  };

  const submitRename = (event: FormEvent) => {
    event.preventDefault();
    if (draft.trim() && draft.trim() !== notebook.name) void attempt(() => rename(notebook.id, draft.trim()));
    else setMode('view');
  };

  return (
    <li className="notebook-row">
      {mode === 'rename' ? (
        <form className="rename" onSubmit={submitRename}>
          <input
            aria-label={`New name for ${notebook.name}`}
            value={draft}
            maxLength={200}
            autoFocus
            onChange={(event) => setDraft(event.target.value)}
            onKeyDown={(event) => event.key === 'Escape' && setMode('view')}
          />
          <button type="submit" className="primary">
            Save
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Cancel
          </button>
        </form>
      ) : (
        <div className="notebook-summary">
          <Link to={`/notebooks/${encodeURIComponent(notebook.id)}`} className="notebook-name">
            {notebook.name}
          </Link>
          <span className="muted">
            {plural(notebook.cell_count, 'cell')} · updated {timeAgo(notebook.updated_at)}
          </span>
          {signedIn && (
            <span className={`notebook-role role-${notebook.role}`} title={ROLE_HINT[notebook.role]}>
              {ROLE_TEXT[notebook.role]}
            </span>
          )}
          {signedIn && notebook.owner && notebook.role !== 'owner' && (
            <span className="notebook-owner muted">by {notebook.owner}</span>
          )}
        </div>
      )}
      {mode === 'view' && (mayEdit(notebook.role) || mayDelete(notebook.role)) && (
        <div className="row-actions">
          {mayEdit(notebook.role) && (
            <button
              type="button"
              onClick={() => {
                setDraft(notebook.name);
                setMode('rename');
              }}
            >
              Rename
            </button>
          )}
          {mayDelete(notebook.role) && (
            <button type="button" className="danger" onClick={() => setMode('confirm-delete')}>
              Delete
            </button>
          )}
        </div>
      )}
      {mode === 'confirm-delete' && (
        <div className="row-actions" role="group" aria-label={`Delete ${notebook.name}?`}>
          <span>Delete “{notebook.name}”?</span>
          <button type="button" className="danger" onClick={() => void attempt(() => remove(notebook.id))}>
            Yes, delete
          </button>
          <button type="button" onClick={() => setMode('view')}>
            Keep
          </button>
        </div>
      )}
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
    </li>
  );
}
