// The notebook as the server last described it: a REST/WebSocket snapshot plus the events after it, applied in seq
// order. An event the snapshot already includes is skipped; a gap means events were lost, so the state asks for a
// fresh snapshot (`needsSync`) instead of guessing.
import type { ApiCell, KernelSizeName, NotebookDetail, Role } from '../api/notebooks';
import type { KernelState, ServerMessage } from './protocol';

/** Console text kept per cell: a runaway print loop must not grow the page without bound. */
export const CONSOLE_LIMIT = 100_000;

export interface NotebookState {
  id: string;
  name: string;
  dbConnectionSet: boolean;
  /** The size preset the notebook's next kernel gets. */
  kernelSize: KernelSizeName;
  /** What this person may do: viewers read, editors also change and run, owners also share and delete. */
  role: Role;
  /** Who made it (an e-mail); null for a notebook from before sign-in. */
  owner: string | null;
  /** `progress`: how far a start that takes long (an ECS task) has come, in the server's words. */
  kernel: { state: KernelState; reason: string | null; progress: string | null };
  kernelOutput: string;
  /** The last event included. */
  seq: number;
  order: string[];
  cells: Record<string, ApiCell>;
  deleted: boolean;
  /** Events were missed: only a snapshot can bring the state up to date. */
  needsSync: boolean;
}

export function fromSnapshot(notebook: NotebookDetail, previous?: NotebookState | null): NotebookState {
  const cells: Record<string, ApiCell> = {};
  for (const cell of notebook.cells) {
    // Keep the object of an unchanged cell, so its component does not render again after a re-sync.
    const before = previous?.cells[cell.id];
    cells[cell.id] = before && sameCell(before, cell) ? before : cell;
  }
  return {
    id: notebook.id,
    name: notebook.name,
    dbConnectionSet: notebook.db_connection_set,
    kernelSize: notebook.kernel_size,
    role: notebook.role,
    owner: notebook.owner,
    kernel: { state: notebook.kernel.state, reason: notebook.kernel.reason ?? null, progress: notebook.kernel.progress ?? null },
    kernelOutput: previous?.kernelOutput ?? '',
    seq: notebook.seq,
    order: notebook.cells.map((cell) => cell.id),
    cells,
    deleted: false,
    needsSync: false,
  };
}

function sameCell(a: ApiCell, b: ApiCell): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export function applyMessage(state: NotebookState, message: ServerMessage): NotebookState {
  if (message.type === 'snapshot') return fromSnapshot(message.notebook, state);
  if (message.type === 'notebook_updated') {
    // Also sent when the owner changes the shares: this person's role may have changed with them.
    const { name, db_connection_set: dbConnectionSet, kernel_size: kernelSize, role, owner } = message.notebook;
    return { ...state, name, dbConnectionSet, kernelSize, role, owner };
  }
  if (message.type === 'notebook_deleted') return { ...state, deleted: true };
  // Replies to this page's own requests (see assist-requests.ts) and who else is here: not part of the notebook.
  if (message.type === 'error' || message.type === 'completions' || message.type === 'inspection' || message.type === 'presence') {
    return state;
  }
  if (message.seq <= state.seq) return state;
  if (message.seq > state.seq + 1 || state.needsSync) return { ...state, needsSync: true };
  return { ...applyEvent(state, message), seq: message.seq };
}

type Event = Exclude<
  ServerMessage,
  { type: 'snapshot' | 'notebook_updated' | 'notebook_deleted' | 'error' | 'completions' | 'inspection' | 'presence' }
>;

function applyEvent(state: NotebookState, event: Event): NotebookState {
  switch (event.type) {
    case 'cell_status':
      return updateCell(state, event.cell_id, (cell) => ({
        ...cell,
        // Running clears what the previous run showed.
        ...(event.status === 'running'
          ? { stdout: '', console: [], console_truncated: false, outputs: [], error: null }
          : {}),
        status: event.status,
        stale: event.stale,
        ran_revision: event.ran_revision,
        blocked_by: event.blocked_by,
        duration: event.duration,
      }));
    case 'cell_stdout':
      return updateCell(state, event.cell_id, (cell) => ({
        ...cell,
        stdout: clip(cell.stdout + event.text),
        console: appendChunk(cell.console, event.stream, event.text),
        // Over the limit the oldest text is dropped, as the engine does for snapshots: say so.
        console_truncated: cell.console_truncated || consoleLength(cell.console) + event.text.length > CONSOLE_LIMIT,
      }));
    case 'kernel_stdout':
      return { ...state, kernelOutput: clip(state.kernelOutput + event.text) };
    case 'cell_output':
      return updateCell(state, event.cell_id, (cell) => ({ ...cell, outputs: event.outputs }));
    case 'cell_error':
      return updateCell(state, event.cell_id, (cell) => ({ ...cell, error: event.error }));
    case 'graph': {
      const cells = { ...state.cells };
      for (const [cellId, fields] of Object.entries(event.cells)) {
        const cell = cells[cellId];
        if (cell && !sameGraph(cell, fields)) cells[cellId] = { ...cell, ...fields };
      }
      return { ...state, cells };
    }
    case 'cell_created': {
      const cell = event.cell;
      const order = state.order.filter((id) => id !== cell.id);
      order.splice(event.index ?? order.length, 0, cell.id);
      return { ...state, order, cells: { ...state.cells, [cell.id]: cell } };
    }
    case 'cell_updated':
      return updateCell(state, event.cell.id, (cell) => ({ ...cell, ...event.cell }));
    case 'cell_moved': {
      if (!state.cells[event.cell_id]) return state;
      const order = state.order.filter((id) => id !== event.cell_id);
      order.splice(event.index, 0, event.cell_id);
      return { ...state, order };
    }
    case 'cell_deleted': {
      const cells = { ...state.cells };
      delete cells[event.cell_id];
      return { ...state, order: state.order.filter((id) => id !== event.cell_id), cells };
    }
    case 'kernel_status':
      return { ...state, kernel: { state: event.state, reason: event.reason, progress: event.progress } };
  }
}

/** Why a finished cell's results may not follow from what it shows now: `edited`, its code changed since the run;
 * `stale`, the same code would give another result now (an input changed, or Python restarted). */
export type Freshness = 'current' | 'edited' | 'stale';

export function freshnessOf(cell: ApiCell): Freshness {
  if (cell.ran_revision === null || cell.status === 'queued' || cell.status === 'running') return 'current';
  if (cell.revision !== cell.ran_revision) return 'edited';
  return cell.stale && cell.status === 'success' ? 'stale' : 'current';
}

function updateCell(state: NotebookState, cellId: string, change: (cell: ApiCell) => ApiCell): NotebookState {
  const cell = state.cells[cellId];
  if (!cell) return state;
  return { ...state, cells: { ...state.cells, [cellId]: change(cell) } };
}

function sameGraph(cell: ApiCell, fields: Partial<ApiCell>): boolean {
  return (Object.keys(fields) as (keyof ApiCell)[]).every(
    (key) => JSON.stringify(cell[key]) === JSON.stringify(fields[key]),
  );
}

function clip(text: string): string {
  return text.length > CONSOLE_LIMIT ? text.slice(text.length - CONSOLE_LIMIT) : text;
}

function consoleLength(console: ApiCell['console']): number {
  return console.reduce((sum, chunk) => sum + chunk.text.length, 0);
}

function appendChunk(console: ApiCell['console'], stream: 'stdout' | 'stderr', text: string): ApiCell['console'] {
  const last = console.at(-1);
  const merged =
    last?.stream === stream ? [...console.slice(0, -1), { stream, text: last.text + text }] : [...console, { stream, text }];
  // Drop the oldest text once over the limit (the engine keeps the same amount for snapshots).
  let total = merged.reduce((sum, chunk) => sum + chunk.text.length, 0);
  let first = merged[0];
  while (total > CONSOLE_LIMIT && first) {
    const excess = total - CONSOLE_LIMIT;
    if (first.text.length <= excess) {
      merged.shift();
      total -= first.text.length;
    } else {
      merged[0] = { ...first, text: first.text.slice(excess) };
      total -= excess;
    }
    first = merged[0];
  }
  return merged;
}
