import { describe, expect, it } from 'vitest';
import { makeCell, makeNotebook } from '../../../testing/fixtures';
import { applyMessage, CONSOLE_LIMIT, freshnessOf, fromSnapshot, type NotebookState } from './notebook-state';
import type { ServerMessage } from './protocol';

function state(): NotebookState {
  return fromSnapshot(
    makeNotebook([
      makeCell({ id: 'a', code: 'x = 2', status: 'success', stale: false, defines: ['x'] }),
      makeCell({ id: 'b', code: 'y = x * 10', status: 'success', stale: false, depends_on: ['a'], stdout: 'old', console: [{ stream: 'stdout', text: 'old' }] }),
    ]),
  );
}

const apply = (start: NotebookState, ...messages: ServerMessage[]) => messages.reduce(applyMessage, start);

function cellOf(notebook: NotebookState, cellId: string) {
  const cell = notebook.cells[cellId];
  if (!cell) throw new Error(`no cell ${cellId}`);
  return cell;
}

describe('fromSnapshot', () => {
  it('orders the cells and keeps the notebook fields', () => {
    const result = state();
    expect(result.order).toEqual(['a', 'b']);
    expect(result).toMatchObject({ id: 'nb1', name: 'Forecast', seq: 10, dbConnectionSet: false, needsSync: false });
  });

  it('keeps the objects of unchanged cells on a re-sync', () => {
    const before = state();
    const after = fromSnapshot(
      makeNotebook([
        makeCell({ id: 'a', code: 'x = 2', status: 'success', stale: false, defines: ['x'] }),
        makeCell({ id: 'b', code: 'y = x * 11', status: 'success', stale: false, depends_on: ['a'] }),
      ]),
      before,
    );
    expect(after.cells.a).toBe(before.cells.a);
    expect(after.cells.b).not.toBe(before.cells.b);
  });
});

describe('applyMessage', () => {
  it('clears the previous results when a cell starts running, then streams and shows its output', () => {
    const start = state();
    const result = apply(
      start,
      { type: 'cell_status', seq: 11, cell_id: 'b', status: 'running', stale: false, ran_revision: null, blocked_by: null, duration: null },
      { type: 'cell_stdout', seq: 12, cell_id: 'b', stream: 'stdout', text: 'hello ' },
      { type: 'cell_stdout', seq: 13, cell_id: 'b', stream: 'stdout', text: 'world\n' },
      { type: 'cell_stdout', seq: 14, cell_id: 'b', stream: 'stderr', text: 'careful\n' },
      { type: 'cell_output', seq: 15, cell_id: 'b', outputs: [{ kind: 'text', text: '20', truncated: false }] },
      { type: 'cell_status', seq: 16, cell_id: 'b', status: 'success', stale: false, ran_revision: null, blocked_by: null, duration: 0.25 },
    );
    const cell = cellOf(result, 'b');
    expect(cell.stdout).toBe('hello world\ncareful\n');
    expect(cell.console).toEqual([
      { stream: 'stdout', text: 'hello world\n' },
      { stream: 'stderr', text: 'careful\n' },
    ]);
    expect(cell.outputs).toEqual([{ kind: 'text', text: '20', truncated: false }]);
    expect(cell).toMatchObject({ status: 'success', duration: 0.25 });
    expect(result.seq).toBe(16);
    // The other cell is the same object: its component does not render again.
    expect(result.cells.a).toBe(start.cells.a);
  });

  it('skips events the snapshot already includes', () => {
    const start = state();
    const result = apply(start, { type: 'cell_stdout', seq: 10, cell_id: 'b', stream: 'stdout', text: 'dup' });
    expect(result).toBe(start);
  });

  it('flags a gap in seq instead of applying events out of order', () => {
    const result = apply(state(), { type: 'cell_stdout', seq: 12, cell_id: 'b', stream: 'stdout', text: 'late' });
    expect(result.needsSync).toBe(true);
    expect(cellOf(result, 'b').stdout).toBe('old');
    const stillWaiting = apply(result, { type: 'cell_stdout', seq: 11, cell_id: 'b', stream: 'stdout', text: 'x' });
    expect(cellOf(stillWaiting, 'b').stdout).toBe('old');
    const synced = apply(stillWaiting, { type: 'snapshot', notebook: makeNotebook([makeCell({ id: 'b', stdout: 'new' })], { seq: 20 }) });
    expect(synced).toMatchObject({ needsSync: false, seq: 20, order: ['b'] });
  });

  it('records errors, graph changes and blocked cells', () => {
    const result = apply(
      state(),
      { type: 'cell_error', seq: 11, cell_id: 'a', error: { type: 'NameError', message: "name 'z' is not defined", traceback: [], text: '' } },
      { type: 'graph', seq: 12, cells: { a: { defines: ['x'], references: ['z'], depends_on: [], static_errors: [] }, gone: { defines: [], references: [], depends_on: [], static_errors: [] } } },
      { type: 'cell_status', seq: 13, cell_id: 'b', status: 'blocked', stale: true, ran_revision: null, blocked_by: 'a', duration: null },
    );
    expect(cellOf(result, 'a').error?.type).toBe('NameError');
    expect(cellOf(result, 'a').references).toEqual(['z']);
    expect(result.cells.b).toMatchObject({ status: 'blocked', blocked_by: 'a' });
    expect(result.cells.gone).toBeUndefined();
  });

  it('adds, updates, moves and deletes cells as other browsers do', () => {
    const result = apply(
      state(),
      { type: 'cell_created', seq: 11, cell: makeCell({ id: 'c', code: 'z = 1' }), index: 1 },
      { type: 'cell_updated', seq: 12, cell: { id: 'a', type: 'python', code: 'x = 3', output_name: null, revision: 1 }, index: 0 },
      { type: 'cell_moved', seq: 13, cell_id: 'a', index: 2 },
      { type: 'cell_deleted', seq: 14, cell_id: 'b' },
    );
    expect(result.order).toEqual(['c', 'a']);
    expect(cellOf(result, 'a').code).toBe('x = 3');
    expect(result.cells.b).toBeUndefined();
  });

  it('appends a created cell without an index at the end, once', () => {
    const cell = makeCell({ id: 'c' });
    const result = apply(
      state(),
      { type: 'cell_created', seq: 11, cell, index: null },
    );
    expect(result.order).toEqual(['a', 'b', 'c']);
  });

  it('follows the notebook and kernel state', () => {
    const result = apply(
      state(),
      { type: 'notebook_updated', notebook: { id: 'nb1', name: 'Renamed', created_at: '', updated_at: '', cell_count: 2, db_connection_set: true, kernel_size: 'medium', role: 'owner', owner: null } },
      { type: 'kernel_status', seq: 11, state: 'restarting', reason: 'requested', progress: null },
      { type: 'kernel_stdout', seq: 12, stream: 'stdout', text: 'background\n' },
    );
    expect(result).toMatchObject({ name: 'Renamed', dbConnectionSet: true, kernelSize: 'medium', kernel: { state: 'restarting', reason: 'requested' }, kernelOutput: 'background\n' });
    expect(apply(result, { type: 'notebook_deleted', notebook_id: 'nb1' }).deleted).toBe(true);
  });

  it("takes this person's new role when the owner changes the shares", () => {
    const summary = { id: 'nb1', name: 'Shared', created_at: '', updated_at: '', cell_count: 2, db_connection_set: false, kernel_size: 'small' as const, owner: 'alice@example.com' };
    const viewer = apply(state(), { type: 'notebook_updated', notebook: { ...summary, role: 'viewer' } });
    expect(viewer).toMatchObject({ role: 'viewer', owner: 'alice@example.com' });
    expect(apply(viewer, { type: 'notebook_updated', notebook: { ...summary, role: 'editor' } }).role).toBe('editor');
  });

  it('follows the progress of a kernel start, which a new state clears', () => {
    const starting = apply(state(), { type: 'kernel_status', seq: 11, state: 'starting', reason: null, progress: 'ECS task PENDING (12 s)' });
    expect(starting.kernel).toEqual({ state: 'starting', reason: null, progress: 'ECS task PENDING (12 s)' });
    const ready = apply(starting, { type: 'kernel_status', seq: 12, state: 'ready', reason: null, progress: null });
    expect(ready.kernel.progress).toBeNull();
  });

  it('keeps at most CONSOLE_LIMIT characters of console text, dropping the oldest', () => {
    const big = 'x'.repeat(CONSOLE_LIMIT - 5);
    const result = apply(
      state(),
      { type: 'cell_status', seq: 11, cell_id: 'a', status: 'running', stale: false, ran_revision: null, blocked_by: null, duration: null },
      { type: 'cell_stdout', seq: 12, cell_id: 'a', stream: 'stdout', text: big },
    );
    expect(cellOf(result, 'a').console_truncated).toBe(false);
    const cut = apply(result, { type: 'cell_stdout', seq: 13, cell_id: 'a', stream: 'stderr', text: '0123456789' });
    const cell = cellOf(cut, 'a');
    expect(cell.console_truncated).toBe(true);
    expect(cell.stdout).toHaveLength(CONSOLE_LIMIT);
    expect(cell.stdout.endsWith('0123456789')).toBe(true);
    expect(cell.console.reduce((sum, chunk) => sum + chunk.text.length, 0)).toBe(CONSOLE_LIMIT);
    expect(cell.console.at(-1)).toEqual({ stream: 'stderr', text: '0123456789' });
    const rerun = apply(cut, { type: 'cell_status', seq: 14, cell_id: 'a', status: 'running', stale: false, ran_revision: null, blocked_by: null, duration: null });
    expect(cellOf(rerun, 'a')).toMatchObject({ console: [], console_truncated: false });
  });

  it('ignores events for unknown cells but still advances seq', () => {
    const result = apply(state(), { type: 'cell_stdout', seq: 11, cell_id: 'nope', stream: 'stdout', text: 'x' });
    expect(result.seq).toBe(11);
  });
});

describe('freshnessOf', () => {
  const ran = () =>
    fromSnapshot(
      makeNotebook([
        makeCell({ id: 'a', code: 'x = 2', status: 'success', stale: false, ran_revision: 0 }),
        makeCell({ id: 'b', code: 'y = x', status: 'success', stale: false, ran_revision: 3, revision: 3 }),
      ]),
    );
  const status = (seq: number, cellId: string, ranRevision: number): Extract<ServerMessage, { type: 'cell_status' }> => ({
    type: 'cell_status', seq, cell_id: cellId, status: 'success', stale: true, ran_revision: ranRevision, blocked_by: null, duration: 0.1,
  });

  it('calls a cell edited only when its own code changed since it ran', () => {
    const result = apply(
      ran(),
      { type: 'cell_updated', seq: 11, cell: { id: 'a', type: 'python', code: 'x = 3', output_name: null, revision: 1 }, index: 0 },
      status(12, 'a', 0),
      status(13, 'b', 3),
    );
    expect(freshnessOf(cellOf(result, 'a'))).toBe('edited');
    expect(freshnessOf(cellOf(result, 'b'))).toBe('stale');
  });

  it('calls every cell stale, none edited, after Python restarts', () => {
    const result = apply(ran(), status(11, 'a', 0), status(12, 'b', 3));
    expect(['a', 'b'].map((id) => freshnessOf(cellOf(result, id)))).toEqual(['stale', 'stale']);
  });

  it('says nothing of a cell that never ran or is running again', () => {
    expect(freshnessOf(makeCell({ id: 'new', status: 'idle' }))).toBe('current');
    const running = apply(ran(), { ...status(11, 'a', 0), status: 'running' });
    expect(freshnessOf(cellOf(running, 'a'))).toBe('current');
    expect(freshnessOf(cellOf(ran(), 'a'))).toBe('current');
  });
});
