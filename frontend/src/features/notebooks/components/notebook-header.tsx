import { type FormEvent, useState } from 'react';
import { ConnectionIndicator } from '../../../components/connection-indicator';
import type { NotebookSession, SessionSnapshot } from '../model/notebook-session';
import type { NotebookState } from '../model/notebook-state';
import { DatabaseForm } from './database-form';
import { ExportButtons } from './notebook-transfer';
import { SaveStateIndicator } from './save-state';

interface Props {
  notebook: NotebookState;
  state: SessionSnapshot;
  session: NotebookSession;
}

const KERNEL_TEXT: Record<NotebookState['kernel']['state'], string> = {
  starting: 'Python starting…',
  ready: 'Python ready',
  restarting: 'Python restarting…',
  stopped: 'Python idle',
};

export function NotebookHeader({ notebook, state, session }: Props) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(notebook.name);
  const [databaseOpen, setDatabaseOpen] = useState(false);
  const connected = state.connection.status === 'open';
  const running = notebook.order.some((id) => {
    const status = notebook.cells[id]?.status;
    return status === 'running' || status === 'queued';
  });

  const submitName = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() && name.trim() !== notebook.name) void session.rename(name.trim());
    setRenaming(false);
  };

  return (
    <div className="notebook-header">
      <div className="notebook-title">
        {renaming ? (
          <form onSubmit={submitName} className="rename">
            <input
              aria-label="Notebook name"
              value={name}
              maxLength={200}
              autoFocus
              onChange={(event) => setName(event.target.value)}
              onKeyDown={(event) => event.key === 'Escape' && setRenaming(false)}
            />
            <button type="submit" className="primary">
              Save
            </button>
          </form>
        ) : (
          <h1>
            <button
              type="button"
              className="title-button"
              title="Rename"
              onClick={() => {
                setName(notebook.name);
                setRenaming(true);
              }}
            >
              {notebook.name}
            </button>
          </h1>
        )}
        <ConnectionIndicator connection={state.connection} onRetry={() => session.reconnect()} />
        <SaveStateIndicator state={state} />
      </div>
      <div className="toolbar" role="toolbar" aria-label="Notebook">
        <button type="button" onClick={() => void session.runAll()} disabled={!connected}>
          Run all
        </button>
        <button type="button" onClick={() => session.interrupt()} disabled={!connected || !running}>
          Interrupt
        </button>
        <button type="button" onClick={() => session.restartKernel()} disabled={!connected} title="A fresh Python process: every cell needs to run again">
          Restart Python
        </button>
        <button type="button" onClick={() => setDatabaseOpen(!databaseOpen)} aria-expanded={databaseOpen}>
          Database: {notebook.dbConnectionSet ? 'set' : 'not set'}
        </button>
        <ExportButtons notebookId={notebook.id} />
        <span className="muted kernel-state" title={notebook.kernel.reason ?? undefined}>
          {/* The kernel's state is only known through the connection: while it is down, the last one may be wrong. */}
          {connected ? KERNEL_TEXT[notebook.kernel.state] : 'Python: unknown while disconnected'}
        </span>
      </div>
      {notebook.kernel.reason && notebook.kernel.state !== 'restarting' && (
        // Why the kernel was stopped (idle, or from the kernels panel), told until a cell runs: the cells are stale.
        // A restart's reason is the hover text of the kernel state: it lasts a moment.
        <p className="kernel-notice" role="status">
          {notebook.kernel.reason.charAt(0).toUpperCase() + notebook.kernel.reason.slice(1)}.
        </p>
      )}
      {databaseOpen && (
        <DatabaseForm
          connected={notebook.dbConnectionSet}
          onSave={(value) => session.setConnection(value)}
          onClose={() => setDatabaseOpen(false)}
        />
      )}
    </div>
  );
}
