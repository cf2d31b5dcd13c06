import { useCallback, useMemo, useState } from 'react';
import { Link } from 'react-router';
import type { CellType } from '../api/notebooks';
import { useNotebookSession } from '../hooks/use-notebook-session';
import { CellView } from './cell-view';
import { InsertCell } from './insert-cell';
import type { DeletedCell } from '../model/notebook-session';
import { NotebookHeader } from './notebook-header';
import { useNotebookKeys } from './notebook-keys';
import { ShortcutSheet } from './shortcut-sheet';

export function NotebookView({ notebookId }: { notebookId: string }) {
  const { session, state } = useNotebookSession(notebookId);
  const { notebook, loadError } = state;
  const order = notebook?.order;
  const labels = useMemo(() => new Map(order?.map((id, index) => [id, `[${index + 1}]`])), [order]);
  const labelOf = useCallback((cellId: string) => labels.get(cellId) ?? '[deleted]', [labels]);
  const keys = useNotebookKeys(session);
  const [dismissed, setDismissed] = useState<DeletedCell | null>(null);

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
  const add = (type: CellType, afterCellId: string | null) => void session.addCell(type, afterCellId);
  return (
    <section className="notebook" aria-label={notebook.name}>
      {notebook.deleted && (
        <p className="problem" role="alert">
          This notebook was deleted in another window. <Link to="/">Back to the notebooks</Link>
        </p>
      )}
      <NotebookHeader notebook={notebook} state={state} session={session} />
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
                session={session}
                labelOf={labelOf}
                onCommand={keys.onCommand}
              />
              <InsertCell afterCellId={index === notebook.order.length - 1 ? null : cellId} onAdd={add} />
            </div>
          );
        })}
        {notebook.order.length === 0 && (
          <div className="empty-notebook">
            <p className="muted">This notebook is empty: add a first cell.</p>
            <InsertCell afterCellId={null} onAdd={add} />
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
