import { type ComponentType, type FormEvent, useState } from 'react';
import { Avatar } from '../../../components/avatar';
import { ConnectionIndicator } from '../../../components/connection-indicator';
import { useAuth } from '../../../lib/use-auth';
import { useKernelSizes } from '../hooks/use-kernel-sizes';
import type { NotebookSession, SessionSnapshot } from '../model/notebook-session';
import type { NotebookState } from '../model/notebook-state';
import type { Person } from '../model/presence';
import { mayEdit, mayShare } from '../model/roles';
import { DatabaseForm } from './database-form';
import { KernelSizePicker } from './kernel-size-picker';
import { KernelNotice, KernelStatus } from './kernel-status';
import { NotebookHistory } from './notebook-history';
import { ExportButtons } from './notebook-transfer';
import { SaveStateIndicator } from './save-state';
import { ShareDialog } from './share-dialog';

interface Props {
  notebook: NotebookState;
  state: SessionSnapshot;
  session: NotebookSession;
  /** The others with the notebook open. */
  others: Person[];
  labelOf: (cellId: string) => string;
  /** The notebook's audit events (the app hands in the audit feature's panel); none: no Activity button. */
  activity?: ActivityPanelType;
}

export type ActivityPanelType = ComponentType<{ notebookId: string; labelOf: (cellId: string) => string; onClose: () => void }>;

type Panel = 'database' | 'history' | 'activity' | null;

export function NotebookHeader({ notebook, state, session, others, labelOf, activity: ActivityPanel }: Props) {
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(notebook.name);
  const [panel, setPanel] = useState<Panel>(null);
  const [shareOpen, setShareOpen] = useState(false);
  const { session: signIn } = useAuth();
  const toggle = (which: Panel) => setPanel(panel === which ? null : which);
  const editable = mayEdit(notebook.role);
  const owns = mayShare(notebook.role);
  // Without sign-in everyone is the same local admin: there is nobody to share with.
  const shareable = owns && signIn?.mode === 'oidc';
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
        {renaming && editable ? (
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
        ) : !editable ? (
          <h1 className="title-text">{notebook.name}</h1>
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
        {others.length > 0 && (
          <div className="presence" role="group" aria-label={`Also here: ${others.map((person) => person.name).join(', ')}`}>
            {others.map((person) => (
              <Avatar key={person.id} name={person.name} id={person.id} />
            ))}
          </div>
        )}
      </div>
      <div className="toolbar" role="toolbar" aria-label="Notebook">
        {editable && (
          <>
            <button type="button" onClick={() => void session.runAll()} disabled={!connected}>
              Run all
            </button>
            <button type="button" onClick={() => session.interrupt()} disabled={!connected || !running}>
              Interrupt
            </button>
            <button type="button" onClick={() => session.restartKernel()} disabled={!connected} title="A fresh Python process: every cell needs to run again">
              Restart Python
            </button>
            <button type="button" onClick={() => toggle('database')} aria-expanded={panel === 'database'}>
              Database: {notebook.dbConnectionSet ? 'set' : 'not set'}
            </button>
            <KernelSizePicker value={notebook.kernelSize} offered={kernelSizes} onChoose={(size) => session.setKernelSize(size)} />
          </>
        )}
        <ExportButtons notebookId={notebook.id} />
        <button type="button" onClick={() => toggle('history')} aria-expanded={panel === 'history'}>
          History
        </button>
        {owns && ActivityPanel && (
          <button type="button" onClick={() => toggle('activity')} aria-expanded={panel === 'activity'}>
            Activity
          </button>
        )}
        {shareable && (
          <button type="button" className="share-button" onClick={() => setShareOpen(true)} aria-haspopup="dialog">
            Share
          </button>
        )}
        <KernelStatus kernel={notebook.kernel} connected={connected} />
      </div>
      <KernelNotice kernel={notebook.kernel} />
      {panel === 'database' && editable && (
        <DatabaseForm
          connected={notebook.dbConnectionSet}
          onSave={(value) => session.setConnection(value)}
          onClose={() => setPanel(null)}
        />
      )}
      {panel === 'history' && (
        <NotebookHistory
          notebookId={notebook.id}
          current={notebook.order.flatMap((id) => notebook.cells[id] ?? [])}
          canRestore={editable}
          onClose={() => setPanel(null)}
        />
      )}
      {panel === 'activity' && owns && ActivityPanel && <ActivityPanel notebookId={notebook.id} labelOf={labelOf} onClose={() => setPanel(null)} />}
      {shareOpen && shareable && <ShareDialog notebookId={notebook.id} onClose={() => setShareOpen(false)} />}
    </div>
  );
}
