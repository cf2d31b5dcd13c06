import { useCallback, useMemo, useRef, useState } from 'react';
import { Link } from 'react-router';
import { useAuth } from '../../../lib/use-auth';
import type { CellType } from '../api/notebooks';
import { useNotebookSession } from '../hooks/use-notebook-session';
import { CellView } from './cell-view';
import { InsertCell } from './insert-cell';
import type { DeletedCell, SessionSnapshot } from '../model/notebook-session';
import { NOBODY, type PresenceView, presenceView } from '../model/presence';
import { mayEdit, viewOnlyBanner } from '../model/roles';
import { type ActivityPanelType, NotebookHeader } from './notebook-header';
import { useNotebookKeys } from './notebook-keys';
import { ShortcutSheet } from './shortcut-sheet';

interface Props {
  notebookId: string;
  /** The audit feature's panel of the notebook's events, composed in by the app. */
  activity?: ActivityPanelType;
}

export function NotebookView({ notebookId, activity }: Props) {
  const { session, state } = useNotebookSession(notebookId);
  const { notebook, loadError } = state;
  const order = notebook?.order;
  const labels = useMemo(() => new Map(order?.map((id, index) => [id, `[${index + 1}]`])), [order]);
  const labelOf = useCallback((cellId: string) => labels.get(cellId) ?? '[deleted]', [labels]);
  const keys = useNotebookKeys(session);
  const [dismissed, setDismissed] = useState<DeletedCell | null>(null);
  const presence = usePresence(state.people);

  if (loadError && (loadError.status === 404 || !notebook)) {
    return (
      <div className="page-error" role="alert">
        <h1>{loadError.status === 404 ? 'Notebook not found' : 'Could not open the notebook'}</h1>
        <p>{loadError.status === 404 ? 'It may have been deleted.' : loadError.message}</p>
        <p>
          <Link to="/">Back to the notebooks</Link>
          {loadError.status !== 404 && session && (
            <>
              {' · '}
              <button type="button" className="link" onClick={() => void session.refresh()}>
                Try again
              </button>
            </>
          )}
        </p>
      </div>
    );
  }
  if (!notebook || !session) return <p className="muted">Loading…</p>;

  const connected = state.connection.status === 'open';
  const editable = mayEdit(notebook.role);
  const add = (type: CellType, afterCellId: string | null) => void session.addCell(type, afterCellId);
  return (
    <section className="notebook" aria-label={notebook.name}>
      {notebook.deleted && (
        <p className="problem" role="alert">
          This notebook was deleted in another window. <Link to="/">Back to the notebooks</Link>
        </p>
      )}
      <NotebookHeader
        notebook={notebook}
        state={state}
        session={session}
        others={presence.others}
        labelOf={labelOf}
        activity={activity}
      />
      {!editable && (
        <p className="view-only-banner" role="note">
          {viewOnlyBanner(notebook.owner)}
        </p>
      )}
      {state.notice && (
        <p className="problem notice" role="alert">
          {state.notice}{' '}
          <button type="button" className="link" onClick={() => session.dismissNotice()}>
            Dismiss
          </button>
        </p>
      )}
      {notebook.kernelOutput && <pre className="console kernel-output">{notebook.kernelOutput}</pre>}
      {state.lastDeleted && state.lastDeleted !== dismissed && (
        <div className="toast" role="status">
          Cell deleted ·{' '}
          <button type="button" className="link" onClick={() => void session.undoDelete()} title="Bring the cell back (z)">
            Undo
          </button>
          <button type="button" className="link" onClick={() => setDismissed(state.lastDeleted)} aria-label="Dismiss">
            ✕
          </button>
        </div>
      )}
      {keys.sheetOpen && <ShortcutSheet onClose={keys.closeSheet} />}
      <div className="cells" onKeyDown={keys.onKeyDown}>
        {notebook.order.map((cellId, index) => {
          const cell = notebook.cells[cellId];
          if (!cell) return null;
          return (
            <div key={cellId} className="cell-slot">
              <CellView
                cell={cell}
                local={state.local[cellId]}
                index={index}
                count={notebook.order.length}
                active={state.activeCellId === cellId}
                connected={connected}
                editable={editable}
                editors={presence.byCell.get(cellId)}
                session={session}
                labelOf={labelOf}
                onCommand={keys.onCommand}
              />
              {editable && <InsertCell afterCellId={index === notebook.order.length - 1 ? null : cellId} onAdd={add} />}
            </div>
          );
        })}
        {notebook.order.length === 0 && (
          <div className="empty-notebook">
            <p className="muted">{editable ? 'This notebook is empty: add a first cell.' : 'This notebook is empty.'}</p>
            {editable && <InsertCell afterCellId={null} onAdd={add} />}
          </div>
        )}
      </div>
      <p className="muted shortcuts-hint">
        <button type="button" className="link" onClick={keys.openSheet}>
          Keyboard shortcuts
        </button>{' '}
        (or <kbd>?</kbd> on a selected cell)
      </p>
    </section>
  );
}

/** The others here and the cells they edit; a cell's list of editors stays the same object while it does not change. */
function usePresence(people: SessionSnapshot['people']): PresenceView {
  const selfId = useAuth().session?.user?.id ?? null;
  const previous = useRef<PresenceView>(NOBODY);
  return useMemo(() => {
    previous.current = presenceView(people, selfId, previous.current);
    return previous.current;
  }, [people, selfId]);
}
