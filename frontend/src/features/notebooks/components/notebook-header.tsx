import { type FormEvent, useState } from 'react';
import { ConnectionIndicator } from '../../../components/connection-indicator';
import { useKernelSizes } from '../hooks/use-kernel-sizes';
import type { NotebookSession, SessionSnapshot } from '../model/notebook-session';
import type { NotebookState } from '../model/notebook-state';
import { DatabaseForm } from './database-form';
import { KernelSizePicker } from './kernel-size-picker';
import { KernelNotice, KernelStatus } from './kernel-status';
import { NotebookHistory } from './notebook-history';
import { ExportButtons } from './notebook-transfer';
import { SaveStateIndicator } from './save-state';

interface Props {
  notebook: NotebookState;
  state: SessionSnapshot;
  session: NotebookSession;
}

export function NotebookHeader({ notebook, state, session }: Props) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(notebook.name);
  const [databaseOpen, setDatabaseOpen] = useState(false);
  const [historyOpen, setHistoryOpen] = useState(false);
  const kernelSizes = useKernelSizes();
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
        <KernelSizePicker value={notebook.kernelSize} offered={kernelSizes} onChoose={(size) => session.setKernelSize(size)} />
        <ExportButtons notebookId={notebook.id} />
        <button type="button" onClick={() => setHistoryOpen(!historyOpen)} aria-expanded={historyOpen}>
          History
        </button>
        <KernelStatus kernel={notebook.kernel} connected={connected} />
      </div>
      <KernelNotice kernel={notebook.kernel} />
      {databaseOpen && (
        <DatabaseForm
          connected={notebook.dbConnectionSet}
          onSave={(value) => session.setConnection(value)}
          onClose={() => setDatabaseOpen(false)}
        />
      )}
      {historyOpen && (
        <NotebookHistory
          notebookId={notebook.id}
          current={notebook.order.flatMap((id) => notebook.cells[id] ?? [])}
          onClose={() => setHistoryOpen(false)}
        />
      )}
    </div>
  );
}
