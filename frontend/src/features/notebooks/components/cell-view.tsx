import { memo, useMemo, useState } from 'react';
import { Avatar } from '../../../components/avatar';
import { useServices } from '../../../lib/services';
import { seconds } from '../../../lib/format';
import type { CellLocal, NotebookSession } from '../model/notebook-session';
import { freshnessOf } from '../model/notebook-state';
import { editingWarning, type Person } from '../model/presence';
import type { Command } from '../model/shortcuts';
import { type ApiCell, notebooksApi } from '../api/notebooks';
import { CellOutputs } from './cell-outputs';
import type { TableSource } from './table-output';
import { CodeEditor } from './code-editor';
import { CodePreview } from './code-preview';
import { MarkdownPreview } from './markdown-cell';

interface Props {
  cell: ApiCell;
  local: CellLocal | undefined;
  index: number;
  count: number;
  active: boolean;
  connected: boolean;
  /** False for a viewer: the code is read-only and nothing that changes or runs is shown. */
  editable: boolean;
  /** The others editing this cell now. */
  editors: Person[] | undefined;
  session: NotebookSession;
  labelOf: (cellId: string) => string;
  /** A shortcut pressed in the cell's editor; the notebook knows where "next" is. */
  onCommand: (cellId: string, command: Command) => void;
}

const TYPE_TEXT: Record<ApiCell['type'], string> = { python: 'Python', sql: 'SQL', markdown: 'Markdown' };

const STATUS_TEXT: Record<ApiCell['status'], string> = {
  idle: 'not run',
  queued: 'queued',
  running: 'running',
  success: 'done',
  error: 'error',
  blocked: 'blocked',
  interrupted: 'interrupted',
};

const FRESHNESS_HINT = {
  edited: 'The code changed since its last run: the results shown are from the previous code',
  stale: 'Not run with the current state: an input changed or Python restarted since it ran; run it to update',
};

/** One cell; memoised, so a message for another cell does not render it again. */
export const CellView = memo(function CellView({
  cell,
  local,
  index,
  count,
  active,
  connected,
  editable,
  editors,
  session,
  labelOf,
  onCommand,
}: Props) {
  const [confirmDelete, setConfirmDelete] = useState(false);
  const code = local?.draft ?? local?.saved ?? cell.code;
  const markdown = cell.type === 'markdown';
  const label = `${markdown ? 'Text' : 'Code'} of cell ${labelOf(cell.id)}`;
  // A markdown cell never runs: Shift+Enter, like a click away, saves it and shows it rendered.
  const close = () => {
    void session.flush(cell.id);
    session.deactivate(cell.id);
  };
  const run = markdown ? close : () => void session.run(cell.id);
  const freshness = freshnessOf(cell);
  const { api } = useServices();
  const warning = active && editors ? editingWarning(editors) : null;
  const tables = useMemo<TableSource>(
    () => ({
      load: (tableId, query) => notebooksApi(api).tablePage(session.notebookId, cell.id, tableId, query),
      rerun: () => void session.run(cell.id),
    }),
    [api, session, cell.id],
  );
  return (
    <article
      className={`cell cell-${cell.status}${freshness === 'current' ? '' : ' cell-stale'}${active ? ' cell-active' : ''}`}
      aria-label={`Cell ${labelOf(cell.id)}`}
      data-cell-id={cell.id}
      data-status={cell.status}
      // Focusable by script only: the selected cell of command mode (see notebook-keys.ts).
      tabIndex={-1}
    >
      <header className="cell-header">
        <span className="cell-label">{labelOf(cell.id)}</span>
        <span className={`cell-type cell-type-${cell.type}`}>{TYPE_TEXT[cell.type]}</span>
        {!markdown && (
          <span className="cell-status" data-testid="cell-status">
            {STATUS_TEXT[cell.status]}
            {cell.status === 'blocked' && cell.blocked_by && ` by ${labelOf(cell.blocked_by)}`}
            {cell.duration != null && (cell.status === 'success' || cell.status === 'error') && ` · ${seconds(cell.duration)}`}
          </span>
        )}
        {!markdown && freshness !== 'current' && (
          <span className="cell-freshness" data-freshness={freshness} title={FRESHNESS_HINT[freshness]}>
            {freshness === 'edited' ? 'edited since it ran' : 'stale'}
          </span>
        )}
        {local?.saving ? <span className="muted">saving…</span> : local?.draft !== undefined && <span className="muted">unsaved</span>}
        {editors && editors.length > 0 && (
          <span className="cell-presence" role="group" aria-label={`Editing this cell: ${editors.map((person) => person.name).join(', ')}`}>
            {editors.map((person) => (
              <Avatar key={person.id} name={person.name} id={person.id} className="avatar-small" />
            ))}
          </span>
        )}
        {editable && (
          <span className="cell-actions">
            {!markdown && (
              <button type="button" onClick={run} disabled={!connected} title="Run this cell and the cells that depend on it (Shift+Enter)">
                Run
              </button>
            )}
            <button type="button" onClick={() => void session.moveCell(cell.id, -1)} disabled={index === 0} aria-label="Move up" title="Move up">
              ↑
            </button>
            <button
              type="button"
              onClick={() => void session.moveCell(cell.id, 1)}
              disabled={index === count - 1}
              aria-label="Move down"
              title="Move down"
            >
              ↓
            </button>
            {confirmDelete ? (
              <>
                <button type="button" className="danger" onClick={() => void session.deleteCell(cell.id)}>
                  Delete cell
                </button>
                <button type="button" onClick={() => setConfirmDelete(false)}>
                  Keep
                </button>
              </>
            ) : (
              <button type="button" className="danger" onClick={() => setConfirmDelete(true)} aria-label="Delete" title="Delete this cell">
                ✕
              </button>
            )}
          </span>
        )}
      </header>
      {cell.type === 'sql' && <OutputName cell={cell} session={session} editable={editable} />}
      {warning && (
        <p className="concurrent-edit-warning" role="status">
          {warning}
        </p>
      )}
      {active ? (
        <CodeEditor
          code={code}
          language={cell.type}
          label={label}
          onChange={(next) => session.edit(cell.id, next)}
          onCommand={(command) => onCommand(cell.id, command)}
          onFocus={() => session.startEditing(cell.id)}
          onBlur={() => {
            session.stopEditing(cell.id);
            if (markdown) close();
            else void session.flush(cell.id);
          }}
          readOnly={!editable}
          // A viewer's kernel requests are refused: no completion or hover docs from it.
          {...(markdown || !editable ? {} : { assistant: session.assistant(cell.id) })}
        />
      ) : markdown ? (
        <MarkdownPreview markdown={code} label={label} onActivate={() => session.activate(cell.id)} />
      ) : (
        <CodePreview code={code} language={cell.type} label={label} onActivate={() => session.activate(cell.id)} />
      )}
      <Dependencies cell={cell} labelOf={labelOf} />
      {local?.problem && (
        <p className="problem" role="alert">
          {local.problem}
        </p>
      )}
      {local?.conflict && (
        <div className="conflict" aria-label="The other version">
          <pre>{local.conflict.code}</pre>
          <button type="button" onClick={() => void session.keepMine(cell.id)}>
            Keep mine
          </button>
          <button type="button" onClick={() => void session.takeTheirs(cell.id)}>
            Use the other version
          </button>
        </div>
      )}
      {!markdown && <CellOutputs cell={cell} labelOf={labelOf} tables={tables} />}
    </article>
  );
});

function Dependencies({ cell, labelOf }: { cell: ApiCell; labelOf: (cellId: string) => string }) {
  if (!cell.defines.length && !cell.depends_on.length) return null;
  return (
    <p className="dependencies">
      {cell.defines.length > 0 && (
        <span>
          defines <code>{cell.defines.join(', ')}</code>
        </span>
      )}
      {cell.depends_on.length > 0 && <span>reads from {cell.depends_on.map(labelOf).join(', ')}</span>}
    </p>
  );
}

function OutputName({ cell, session, editable }: { cell: ApiCell; session: NotebookSession; editable: boolean }) {
  const [value, setValue] = useState(cell.output_name ?? '');
  const [seen, setSeen] = useState(cell.output_name);
  if (seen !== cell.output_name) {
    setSeen(cell.output_name);
    setValue(cell.output_name ?? '');
  }
  const save = () => {
    if (value.trim() !== (cell.output_name ?? '')) void session.setOutputName(cell.id, value.trim());
  };
  return (
    <label className="output-name">
      result in
      <input
        value={value}
        readOnly={!editable}
        spellCheck={false}
        onChange={(event) => setValue(event.target.value)}
        onBlur={save}
        onKeyDown={(event) => event.key === 'Enter' && save()}
      />
    </label>
  );
}
