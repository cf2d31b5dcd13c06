// One open notebook in this browser: the server state (REST snapshot, then WebSocket events), the user's unsaved
// edits, and the commands. Framework-free, so its behaviour is unit-tested without rendering.
import { ApiError } from '../../../lib/api-client';
import { messageOf } from '../../../lib/format';
import { backoffDelay, type ConnectionState, DEFAULT_BACKOFF, type ReconnectingSocket } from '../../../lib/websocket';
import { type CellType, EditConflictError, type KernelSizeName, type KernelSizeSet, type NotebooksApi } from '../api/notebooks';
import { browserDrafts, type DraftStore, type StoredDraft } from './draft-store';
import { applyMessage, fromSnapshot, type NotebookState } from './notebook-state';
import { AssistRequests, type Assistant } from './assist-requests';
import type { Person } from './presence';
import { type ClientMessage, isServerMessage, type ServerMessage } from './protocol';
import { mayEdit, VIEW_ONLY_NOTICE } from './roles';

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
  /** The last cell deleted on this page, until undoDelete() brings it back. */
  lastDeleted: DeletedCell | null;
  /** The last problem of a notebook-wide command or message. */
  notice: string | null;
  /** Everyone with the notebook open and the cells they edit, as the server last said (this person included). */
  people: Person[];
  /** The cell whose editor has the focus in this tab: what the others see this person edit. */
  editingCellId: string | null;
}

export interface DeletedCell {
  type: CellType;
  code: string;
  index: number;
  outputName: string | null;
}

/** Before anything is known. */
export function initialSnapshot(): SessionSnapshot {
  return {
    notebook: null,
    loadError: null,
    connection: { status: 'connecting', attempt: 0, retryAt: null, reason: null },
    local: {},
    activeCellId: null,
    lastDeleted: null,
    notice: null,
    people: [],
    editingCellId: null,
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
  /** Failed attempts since the last save that went through: the retry backs off. */
  failures: number;
}

/** Where the page's unsaved code stands, for the notebook's header. */
export type SaveState = 'saved' | 'saving' | 'unsaved' | 'offline';

export function saveStateOf(state: SessionSnapshot): SaveState {
  const locals = Object.values(state.local);
  if (locals.some((local) => local.saving)) return 'saving';
  if (!locals.some((local) => local.draft !== undefined)) return 'saved';
  return state.connection.status === 'open' ? 'unsaved' : 'offline';
}

/** A save refused for what it is (too large, invalid) stays refused; anything else may go through later. */
function worthRetrying(error: unknown): boolean {
  if (!(error instanceof ApiError)) return true; // the network: offline, or the server unreachable
  return error.status >= 500 || error.status === 408 || error.status === 429;
}

type Listener = () => void;

export class NotebookSession {
  private snapshot: SessionSnapshot;
  private readonly listeners = new Set<Listener>();
  private readonly saves = new Map<string, PendingSave>();
  private readonly socket: ReturnType<OpenSocket>;
  /** The type of each cell with a draft, kept for when the cell is deleted elsewhere and comes back as a new one. */
  private readonly draftTypes = new Map<string, CellType>();
  private disposed = false;
  /** A viewer is told once why a change does nothing; the banner says it for good. */
  private viewOnlyExplained = false;
  private readonly assists = new AssistRequests((message) => this.send(message));

  constructor(
    readonly notebookId: string,
    private readonly calls: NotebooksApi,
    openSocket: OpenSocket,
    private readonly drafts: DraftStore = browserDrafts(notebookId),
  ) {
    this.snapshot = initialSnapshot();
    // Edits a previous page of this notebook could not save: shown at once, sent once the notebook is loaded.
    for (const [cellId, draft] of Object.entries(drafts.load())) {
      this.draftTypes.set(cellId, draft.type);
      this.snapshot.local[cellId] = { draft: draft.code, ...(draft.base === undefined ? {} : { base: draft.base }) };
    }
    // The server starts every connection with a snapshot, so a reconnect re-syncs by itself.
    this.socket = openSocket(notebookId, {
      onMessage: (message) => this.receive(message),
      onState: (connection) => {
        this.update({ connection });
        if (connection.status !== 'open') this.assists.dropAll();
        if (connection.status === 'open') {
          this.retrySaves();
          // A new connection knows nothing of this tab: tell it which cell is being edited.
          if (this.snapshot.editingCellId !== null) this.sendPresence(this.snapshot.editingCellId);
        } else if (this.snapshot.people.length) {
          this.update({ people: [] }); // who is here is unknown until the server says again
        }
        // A refused handshake (401, 404) reaches the page only as a dropped socket: REST tells which it was.
        if (connection.status === 'reconnecting' && connection.retryAt !== null) void this.refresh();
      },
    });
    void this.refresh();
  }

  getSnapshot = (): SessionSnapshot => this.snapshot;

  /** Completion and docs for the code being edited in a cell, from the kernel. */
  assistant(cellId: string): Assistant {
    return this.assists.assistant(cellId);
  }

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  dispose(): void {
    this.disposed = true;
    this.assists.dropAll();
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

  /** Sends every unsaved edit now (the connection is back), except those waiting for the user to resolve a conflict. */
  retrySaves(): void {
    if (!this.snapshot.notebook) return; // sent once it is loaded
    for (const [cellId, local] of Object.entries(this.snapshot.local)) {
      if (local.draft !== undefined && !local.conflict && !local.saving) void this.flush(cellId);
    }
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
    this.stopEditing(cellId);
  }

  /** The cell's editor got the focus: the others see this person editing it. */
  startEditing(cellId: string): void {
    if (this.snapshot.editingCellId === cellId || !this.editable) return;
    this.update({ editingCellId: cellId });
    this.sendPresence(cellId);
  }

  /** The cell's editor lost the focus (or closed). */
  stopEditing(cellId: string): void {
    if (this.snapshot.editingCellId !== cellId) return;
    this.update({ editingCellId: null });
    this.sendPresence(null);
  }

  /** False for a viewer: changes and runs would be refused by the server. */
  get editable(): boolean {
    const role = this.snapshot.notebook?.role;
    return role === undefined || mayEdit(role);
  }

  /** A change a viewer tried: nothing happens, and the first time a notice says why. */
  explainViewOnly(): void {
    if (this.viewOnlyExplained) return;
    this.viewOnlyExplained = true;
    this.update({ notice: VIEW_ONLY_NOTICE });
  }

  /** The code the user sees: an unsaved draft wins over the server's copy. */
  codeOf(cellId: string): string {
    const local = this.snapshot.local[cellId];
    return local?.draft ?? local?.saved ?? this.snapshot.notebook?.cells[cellId]?.code ?? '';
  }

  edit(cellId: string, code: string): void {
    if (!this.editable) {
      this.explainViewOnly();
      return;
    }
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
      if (!this.snapshot.notebook) return false; // sent once it is loaded
      if (!this.snapshot.notebook.cells[cellId]) return this.rescue(cellId, draft);
      const base = this.snapshot.local[cellId]?.base;
      this.setLocal(cellId, { saving: true });
      try {
        const saved = await this.calls.updateCell(this.notebookId, cellId, { code: draft, revision: base });
        pending.failures = 0;
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
        } else if (worthRetrying(error)) {
          this.setLocal(cellId, {
            saving: false,
            problem:
              error instanceof ApiError
                ? `Not saved yet (${messageOf(error)}): your text is kept here and sent again shortly.`
                : 'Not saved yet: the server cannot be reached. Your text is kept here and sent when the connection is back.',
          });
          this.retryLater(cellId);
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
    if (!this.editable) return this.explainViewOnly();
    if (!(await this.flush(cellId))) return;
    if (!this.send({ type: 'run_cell', cell_id: cellId })) {
      this.setLocal(cellId, { problem: 'Not connected to the notebook server: the cell did not run. Reconnecting…' });
      this.socket.reconnectNow();
    }
  }

  async runAll(): Promise<void> {
    if (!this.editable) return this.explainViewOnly();
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

  /**
   * A new cell at `index` of the order (0: first, which the API reaches with a move), its editor open unless `open`
   * is false; resolves to its id (undefined if it could not be made, which the notice says).
   */
  async insertCell(
    type: CellType,
    index: number,
    { code = '', outputName = null, open = true }: { code?: string; outputName?: string | null; open?: boolean } = {},
  ): Promise<string | undefined> {
    let created: string | undefined;
    await this.mutate(async () => {
      const order = this.snapshot.notebook?.order ?? [];
      const after = index > 0 ? (order[Math.min(index, order.length) - 1] ?? null) : null;
      const cellId = await this.calls.addCell(this.notebookId, type, after, code);
      if (index === 0 && order.length > 0) await this.calls.moveCell(this.notebookId, cellId, 0);
      if (outputName) await this.calls.updateCell(this.notebookId, cellId, { output_name: outputName });
      created = cellId;
      if (open) this.update({ activeCellId: cellId });
    });
    return created;
  }

  /** The last deleted cell back where it was, with the code it had. */
  async undoDelete(): Promise<void> {
    const deleted = this.snapshot.lastDeleted;
    if (!deleted) return;
    this.update({ lastDeleted: null });
    await this.insertCell(deleted.type, deleted.index, { code: deleted.code, outputName: deleted.outputName });
  }

  async deleteCell(cellId: string): Promise<void> {
    if (!this.editable) return this.explainViewOnly();
    const cell = this.snapshot.notebook?.cells[cellId];
    const deleted: DeletedCell | null = cell
      ? { type: cell.type, code: this.codeOf(cellId), index: this.snapshot.notebook?.order.indexOf(cellId) ?? 0, outputName: cell.output_name ?? null }
      : null;
    const pending = this.saves.get(cellId);
    if (pending?.timer) clearTimeout(pending.timer);
    this.saves.delete(cellId);
    // The user deletes the cell with its edits: they must not come back as a rescued cell.
    this.setLocal(cellId, { draft: undefined, saved: undefined, base: undefined, conflict: undefined, problem: undefined });
    await this.mutate(async () => {
      await this.calls.deleteCell(this.notebookId, cellId);
      this.update({ lastDeleted: deleted });
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

  /** Throws on failure, so the size picker can show the problem next to it. */
  async setKernelSize(size: KernelSizeName): Promise<KernelSizeSet> {
    const result = await this.calls.setKernelSize(this.notebookId, size);
    if (this.snapshot.connection.status !== 'open') await this.refresh();
    return result;
  }

  dismissNotice(): void {
    this.update({ notice: null });
  }

  // -- internals -------------------------------------------------------------------------------------------------

  /** REST changes come back as WebSocket events; while the socket is down, a REST refresh shows them instead. */
  private async mutate(change: () => Promise<unknown>): Promise<void> {
    if (!this.editable) return this.explainViewOnly();
    try {
      await change();
      this.update({ notice: null });
      if (this.snapshot.connection.status !== 'open') await this.refresh();
    } catch (error) {
      this.update({ notice: messageOf(error) });
    }
  }

  private command(message: ClientMessage): void {
    if (!this.editable) return this.explainViewOnly();
    if (!this.send(message)) this.update({ notice: 'Not connected to the notebook server. Reconnecting…' });
  }

  private send(message: ClientMessage): boolean {
    return this.socket.send(message);
  }

  /** Lost while the socket is down; the next connection is told again (see the constructor). */
  private sendPresence(cellId: string | null): void {
    this.send({ type: 'presence', cell_id: cellId });
  }

  private receive(message: unknown): void {
    if (!isServerMessage(message) || this.assists.settle(message)) return;
    if (message.type === 'error') {
      this.update({ notice: message.message });
      return;
    }
    if (message.type === 'presence') {
      this.update({ people: message.people });
      return;
    }
    this.apply(message);
  }

  private apply(message: ServerMessage): void {
    const { notebook } = this.snapshot;
    if (!notebook) {
      if (message.type === 'snapshot') {
        this.update({ notebook: fromSnapshot(message.notebook) });
        this.retrySaves(); // edits a previous page left unsaved
      }
      return; // events before the first snapshot are covered by it
    }
    const next = applyMessage(notebook, message);
    if (next === notebook) return;
    this.update({ notebook: next, local: settleSaved(this.snapshot.local, notebook, next) });
    if (next.needsSync && !notebook.needsSync) this.send({ type: 'sync' });
    // Deleted elsewhere while holding unsaved code: saving it brings the code back as a new cell.
    for (const [cellId, local] of Object.entries(this.snapshot.local)) {
      if (local.draft !== undefined && notebook.cells[cellId] && !next.cells[cellId]) void this.flush(cellId);
    }
  }

  /** The cell was deleted elsewhere while it held unsaved code: the code comes back as a new cell at the end. */
  private async rescue(cellId: string, draft: string): Promise<boolean> {
    const type = this.draftTypes.get(cellId) ?? 'python';
    try {
      await this.calls.addCell(this.notebookId, type, null, draft);
    } catch (error) {
      if (worthRetrying(error)) this.retryLater(cellId);
      this.update({ notice: `A cell you were editing was deleted elsewhere; restoring your text failed: ${messageOf(error)}` });
      return false;
    }
    this.saves.delete(cellId);
    this.setLocal(cellId, { draft: undefined, saved: undefined, base: undefined, conflict: undefined, problem: undefined });
    this.update({
      notice: 'A cell you were editing was deleted elsewhere before your text was saved: your text is in a new cell at the end.',
    });
    if (this.snapshot.connection.status !== 'open') await this.refresh();
    return false;
  }

  private retryLater(cellId: string): void {
    if (this.disposed) return; // the next page of the notebook sends the kept drafts
    const pending = this.pendingSave(cellId);
    pending.failures += 1;
    if (pending.timer) clearTimeout(pending.timer);
    pending.timer = setTimeout(() => void this.flush(cellId), backoffDelay(pending.failures, DEFAULT_BACKOFF));
  }

  private pendingSave(cellId: string): PendingSave {
    let pending = this.saves.get(cellId);
    if (!pending) {
      pending = { timer: null, chain: Promise.resolve(true), failures: 0 };
      this.saves.set(cellId, pending);
    }
    return pending;
  }

  private setLocal(cellId: string, change: CellLocal): void {
    const before = this.snapshot.local[cellId];
    const merged = { ...before, ...change };
    for (const key of Object.keys(merged) as (keyof CellLocal)[]) if (merged[key] === undefined) delete merged[key];
    this.update({ local: { ...this.snapshot.local, [cellId]: merged } });
    if (merged.draft !== before?.draft || merged.base !== before?.base) this.keepDrafts();
  }

  private keepDrafts(): void {
    const kept: Record<string, StoredDraft> = {};
    for (const [cellId, local] of Object.entries(this.snapshot.local)) {
      if (local.draft === undefined) continue;
      const type = this.snapshot.notebook?.cells[cellId]?.type ?? this.draftTypes.get(cellId) ?? 'python';
      this.draftTypes.set(cellId, type);
      kept[cellId] = { code: local.draft, type, ...(local.base === undefined ? {} : { base: local.base }) };
    }
    this.drafts.save(kept);
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
