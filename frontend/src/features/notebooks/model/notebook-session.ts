// One open notebook in this browser: the server state (REST snapshot, then WebSocket events), the user's unsaved
// edits, and the commands. Framework-free, so its behaviour is unit-tested without rendering.
import { ApiError } from '../../../lib/api-client';
import { messageOf } from '../../../lib/format';
import type { ConnectionState, ReconnectingSocket } from '../../../lib/websocket';
import { type CellType, EditConflictError, type NotebooksApi } from '../api/notebooks';
import { applyMessage, fromSnapshot, type NotebookState } from './notebook-state';
import { type ClientMessage, isServerMessage, type ServerMessage } from './protocol';

/** Typing pauses this long before the code is saved. */
export const SAVE_DELAY_MS = 400;

export interface CellLocal {
  /** Code typed but not yet acknowledged by the server. */
  draft?: string;
  /** Code the server acknowledged before its event reached this page: shown meanwhile, so the editor never flips
   * back to the previous code. */
  saved?: string;
  /** The server's revision of the cell that `draft` (or `saved`) was written over: a save based on it is refused
   * if someone else changed the cell meanwhile. */
  base?: number;
  saving?: boolean;
  problem?: string;
  /** The cell's code on the server when a save was refused because it had changed elsewhere. The draft is kept
   * until the user picks a version: keepMine() or takeTheirs(). */
  conflict?: { code: string; revision: number };
}

export interface SessionSnapshot {
  notebook: NotebookState | null;
  /** Why the notebook could not be loaded (404, network); null once loaded. */
  loadError: { status: number | null; message: string } | null;
  connection: ConnectionState;
  local: Record<string, CellLocal>;
  /** The cell whose code editor is open (one at a time keeps large notebooks light). */
  activeCellId: string | null;
  /** The last problem of a notebook-wide command or message. */
  notice: string | null;
}

/** Before anything is known. */
export function initialSnapshot(): SessionSnapshot {
  return {
    notebook: null,
    loadError: null,
    connection: { status: 'connecting', attempt: 0, retryAt: null, reason: null },
    local: {},
    activeCellId: null,
    notice: null,
  };
}

export interface SocketHandlers {
  onMessage: (message: unknown) => void;
  onState: (state: ConnectionState) => void;
}

export type OpenSocket = (notebookId: string, handlers: SocketHandlers) => Pick<
  ReconnectingSocket,
  'send' | 'close' | 'reconnectNow' | 'restart' | 'connection'
>;

interface PendingSave {
  timer: ReturnType<typeof setTimeout> | null;
  /** The save in flight; saves of one cell are chained so an older one never lands after a newer one. */
  chain: Promise<boolean>;
}

type Listener = () => void;

export class NotebookSession {
  private snapshot: SessionSnapshot;
  private readonly listeners = new Set<Listener>();
  private readonly saves = new Map<string, PendingSave>();
  private readonly socket: ReturnType<OpenSocket>;

  constructor(
    readonly notebookId: string,
    private readonly calls: NotebooksApi,
    openSocket: OpenSocket,
  ) {
    this.snapshot = initialSnapshot();
    // The server starts every connection with a snapshot, so a reconnect re-syncs by itself.
    this.socket = openSocket(notebookId, {
      onMessage: (message) => this.receive(message),
      onState: (connection) => {
        this.update({ connection });
        // A refused handshake (401, 404) reaches the page only as a dropped socket: REST tells which it was.
        if (connection.status === 'reconnecting' && connection.retryAt !== null) void this.refresh();
      },
    });
    void this.refresh();
  }

  getSnapshot = (): SessionSnapshot => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    for (const cellId of this.saves.keys()) void this.flush(cellId);
    this.socket.close();
  }

  /** Loads the notebook over REST: the first view, and the fallback when the socket is down. */
  async refresh(): Promise<void> {
    try {
      const notebook = await this.calls.get(this.notebookId);
      const current = this.snapshot.notebook;
      // A live socket may already be past this answer; its own snapshots are always taken (a restarted server
      // counts from zero again).
      if (current && this.snapshot.connection.status === 'open' && notebook.seq < current.seq) return;
      this.apply({ type: 'snapshot', notebook });
      this.update({ loadError: null });
    } catch (error) {
      const status = error instanceof ApiError ? error.status : null;
      if (status === 404) this.socket.close();
      if (!this.snapshot.notebook || status === 404) this.update({ loadError: { status, message: messageOf(error) } });
    }
  }

  reconnect(): void {
    this.socket.reconnectNow();
  }

  /** The token changed: new credentials for the socket, and a fresh view. */
  credentialsChanged(): void {
    this.socket.restart();
    void this.refresh();
  }

  // -- commands --------------------------------------------------------------------------------------------------

  activate(cellId: string | null): void {
    if (this.snapshot.activeCellId !== cellId) this.update({ activeCellId: cellId });
  }

  /** Closes the cell's editor if it is the open one (a markdown cell then shows rendered again). */
  deactivate(cellId: string): void {
    if (this.snapshot.activeCellId === cellId) this.update({ activeCellId: null });
  }

  /** The code the user sees: an unsaved draft wins over the server's copy. */
  codeOf(cellId: string): string {
    const local = this.snapshot.local[cellId];
    return local?.draft ?? local?.saved ?? this.snapshot.notebook?.cells[cellId]?.code ?? '';
  }

  edit(cellId: string, code: string): void {
    const local = this.snapshot.local[cellId];
    const continued = local?.draft !== undefined || local?.saved !== undefined;
    this.setLocal(cellId, {
      draft: code,
      base: continued ? local?.base : this.snapshot.notebook?.cells[cellId]?.revision,
      // An unresolved conflict stays in view: the next save would be refused again.
      problem: local?.conflict ? local.problem : undefined,
    });
    const pending = this.pendingSave(cellId);
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = setTimeout(() => void this.flush(cellId), SAVE_DELAY_MS);
  }

  /** Saves the cell's draft now; true when nothing is left unsaved. */
  flush(cellId: string): Promise<boolean> {
    const pending = this.pendingSave(cellId);
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = null;
    pending.chain = pending.chain.then(async () => {
      const draft = this.snapshot.local[cellId]?.draft;
      if (draft === undefined) return true;
      if (!this.snapshot.notebook?.cells[cellId]) return false; // deleted meanwhile (here or elsewhere)
      const base = this.snapshot.local[cellId]?.base;
      this.setLocal(cellId, { saving: true });
      try {
        const saved = await this.calls.updateCell(this.notebookId, cellId, { code: draft, revision: base });
        // Typing may have gone on during the request: only the draft that was sent is settled.
        const current = this.snapshot.local[cellId]?.draft;
        const settled = current === draft;
        const shown = this.snapshot.notebook?.cells[cellId]?.code === draft;
        this.setLocal(cellId, {
          saving: false,
          problem: undefined,
          conflict: undefined,
          // What is still typed, or shown, here is written over this save.
          base: settled && shown ? undefined : saved.revision,
          ...(settled ? { draft: undefined, saved: shown ? undefined : draft } : {}),
        });
        return settled;
      } catch (error) {
        if (error instanceof EditConflictError) {
          this.setLocal(cellId, {
            saving: false,
            conflict: { code: error.cell.code, revision: error.cell.revision },
            problem:
              'Not saved: this cell was changed elsewhere since you started editing it. Your text is kept here; ' +
              'keep yours (it replaces the other version) or use the other version (yours is dropped).',
          });
        } else {
          this.setLocal(cellId, { saving: false, problem: `Not saved: ${messageOf(error)}` });
        }
        return false;
      }
    });
    return pending.chain;
  }

  /** Resolves a conflict by saving the draft over the version it was refused for. */
  keepMine(cellId: string): Promise<boolean> {
    const conflict = this.snapshot.local[cellId]?.conflict;
    if (conflict) this.setLocal(cellId, { base: conflict.revision, conflict: undefined, problem: undefined });
    return this.flush(cellId);
  }

  /** Resolves a conflict by dropping the draft: the server's code shows again. */
  async takeTheirs(cellId: string): Promise<void> {
    const pending = this.saves.get(cellId);
    if (pending?.timer) clearTimeout(pending.timer);
    this.setLocal(cellId, { draft: undefined, saved: undefined, base: undefined, conflict: undefined, problem: undefined });
    if (this.snapshot.connection.status !== 'open') await this.refresh();
  }

  /** Saves the cell, then runs it; its dependents follow on the server. */
  async run(cellId: string): Promise<void> {
    if (!(await this.flush(cellId))) return;
    if (!this.send({ type: 'run_cell', cell_id: cellId })) {
      this.setLocal(cellId, { problem: 'Not connected to the notebook server: the cell did not run. Reconnecting…' });
      this.socket.reconnectNow();
    }
  }

  async runAll(): Promise<void> {
    const results = await Promise.all([...this.saves.keys()].map((cellId) => this.flush(cellId)));
    if (results.every(Boolean)) this.command({ type: 'run_all' });
  }

  interrupt(): void {
    this.command({ type: 'interrupt' });
  }

  restartKernel(): void {
    this.command({ type: 'restart_kernel' });
  }

  async addCell(type: CellType, afterCellId: string | null): Promise<void> {
    await this.mutate(async () => {
      const cellId = await this.calls.addCell(this.notebookId, type, afterCellId);
      this.update({ activeCellId: cellId });
    });
  }

  async deleteCell(cellId: string): Promise<void> {
    const pending = this.saves.get(cellId);
    if (pending?.timer) clearTimeout(pending.timer);
    this.saves.delete(cellId);
    await this.mutate(async () => {
      await this.calls.deleteCell(this.notebookId, cellId);
      this.setLocal(cellId, { draft: undefined, base: undefined, conflict: undefined, problem: undefined });
    });
  }

  async moveCell(cellId: string, offset: -1 | 1): Promise<void> {
    const order = this.snapshot.notebook?.order ?? [];
    const index = order.indexOf(cellId) + offset;
    if (index < 0 || index >= order.length) return;
    await this.mutate(() => this.calls.moveCell(this.notebookId, cellId, index));
  }

  // Sent without a revision: the form changes only the output name, so it cannot undo an edit of the code.
  async setOutputName(cellId: string, outputName: string): Promise<void> {
    await this.mutate(() => this.calls.updateCell(this.notebookId, cellId, { output_name: outputName }));
  }

  async rename(name: string): Promise<void> {
    await this.mutate(() => this.calls.rename(this.notebookId, name));
  }

  /** Throws on failure, so the connection form can show the problem next to the field. */
  async setConnection(connectionString: string): Promise<void> {
    await this.calls.setConnection(this.notebookId, connectionString);
    if (this.snapshot.connection.status !== 'open') await this.refresh();
  }

  dismissNotice(): void {
    this.update({ notice: null });
  }

  // -- internals -------------------------------------------------------------------------------------------------

  /** REST changes come back as WebSocket events; while the socket is down, a REST refresh shows them instead. */
  private async mutate(change: () => Promise<unknown>): Promise<void> {
    try {
      await change();
      this.update({ notice: null });
      if (this.snapshot.connection.status !== 'open') await this.refresh();
    } catch (error) {
      this.update({ notice: messageOf(error) });
    }
  }

  private command(message: ClientMessage): void {
    if (!this.send(message)) this.update({ notice: 'Not connected to the notebook server. Reconnecting…' });
  }

  private send(message: ClientMessage): boolean {
    return this.socket.send(message);
  }

  private receive(message: unknown): void {
    if (!isServerMessage(message)) return;
    if (message.type === 'error') {
      this.update({ notice: message.message });
      return;
    }
    this.apply(message);
  }

  private apply(message: ServerMessage): void {
    const { notebook } = this.snapshot;
    if (!notebook) {
      if (message.type === 'snapshot') this.update({ notebook: fromSnapshot(message.notebook) });
      return; // events before the first snapshot are covered by it
    }
    const next = applyMessage(notebook, message);
    if (next === notebook) return;
    this.update({ notebook: next, local: settleSaved(this.snapshot.local, notebook, next) });
    if (next.needsSync && !notebook.needsSync) this.send({ type: 'sync' });
  }

  private pendingSave(cellId: string): PendingSave {
    let pending = this.saves.get(cellId);
    if (!pending) {
      pending = { timer: null, chain: Promise.resolve(true) };
      this.saves.set(cellId, pending);
    }
    return pending;
  }

  private setLocal(cellId: string, change: CellLocal): void {
    const merged = { ...this.snapshot.local[cellId], ...change };
    for (const key of Object.keys(merged) as (keyof CellLocal)[]) if (merged[key] === undefined) delete merged[key];
    this.update({ local: { ...this.snapshot.local, [cellId]: merged } });
  }

  private update(change: Partial<SessionSnapshot>): void {
    this.snapshot = { ...this.snapshot, ...change };
    for (const listener of this.listeners) listener();
  }

  get hasUnsavedChanges(): boolean {
    return Object.values(this.snapshot.local).some((local) => local.draft !== undefined);
  }
}

/** Drops the `saved` code of every cell whose code the server state now shows (its own, or a newer edit). */
function settleSaved(local: Record<string, CellLocal>, before: NotebookState, after: NotebookState): Record<string, CellLocal> {
  let result = local;
  for (const [cellId, entry] of Object.entries(local)) {
    const cell = after.cells[cellId];
    const changed = !cell || cell.code !== before.cells[cellId]?.code;
    if (entry.saved === undefined || !changed) continue;
    const rest = { ...entry };
    delete rest.saved;
    if (rest.draft === undefined) delete rest.base;
    result = { ...result, [cellId]: rest };
  }
  return result;
}
