import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { AuthStore } from '../../../lib/auth';
import { ReconnectingSocket } from '../../../lib/websocket';
import { fakeApi, json } from '../../../testing/fake-api';
import { FakeWebSocket, FakeWebSocketClass } from '../../../testing/fake-websocket';
import { makeCell, makeNotebook } from '../../../testing/fixtures';
import { notebooksApi } from '../api/notebooks';
import { NotebookSession, SAVE_DELAY_MS, saveStateOf } from './notebook-session';

beforeEach(() => {
  FakeWebSocket.reset();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

const notebook = (seq = 10, code = 'x = 2') =>
  makeNotebook([makeCell({ id: 'a', code, status: 'success', stale: false }), makeCell({ id: 'b', code: 'y = x * 10' })], { seq });

function setup(routes: Parameters<typeof fakeApi>[1] = {}) {
  const auth = new AuthStore(null);
  let served = notebook();
  const { api, requests } = fakeApi(auth, {
    'GET /api/notebooks/:notebook_id': () => json(served),
    'PUT /api/notebooks/:notebook_id/cells/:cell_id': (params, body) => {
      const { revision, ...change } = body as { revision?: number };
      return json({ ...makeCell({ id: params.cell_id ?? '' }), ...change, revision: (revision ?? 0) + 1 });
    },
    'POST /api/notebooks/:notebook_id/cells': () => json({ cell_id: 'new' }, 201),
    'POST /api/notebooks/:notebook_id/cells/:cell_id/move': () => json({ cell_ids: ['b', 'a'] }),
    ...routes,
  });
  const session = new NotebookSession('nb1', notebooksApi(api), (id, handlers) =>
    new ReconnectingSocket({
      target: () => ({ url: `ws://host/api/ws/notebooks/${id}`, protocols: ['notebook'] }),
      WebSocketImpl: FakeWebSocketClass,
      backoff: { initialMs: 100, maxMs: 1000, random: () => 1 },
      ...handlers,
    }),
  );
  const socket = () => FakeWebSocket.latest;
  const connect = async (seq = 10) => {
    socket().open();
    socket().receive({ type: 'snapshot', notebook: notebook(seq) });
    await vi.advanceTimersByTimeAsync(0);
  };
  return { session, requests, socket, connect, serve: (next: typeof served) => (served = next) };
}

describe('NotebookSession', () => {
  it('shows the REST view first, then follows the socket', async () => {
    const { session, connect, socket } = setup();
    await vi.advanceTimersByTimeAsync(0);
    expect(session.getSnapshot().notebook?.order).toEqual(['a', 'b']);
    expect(session.getSnapshot().connection.status).toBe('connecting');
    await connect();
    socket().receive({ type: 'cell_status', seq: 11, cell_id: 'b', status: 'running', stale: false, ran_revision: null, blocked_by: null, duration: null });
    expect(session.getSnapshot().notebook?.cells.b?.status).toBe('running');
    expect(session.getSnapshot().connection.status).toBe('open');
  });

  it('saves typed code after a pause, with only the latest text', async () => {
    const { session, requests, connect } = setup();
    await connect();
    session.edit('a', 'x = 3');
    session.edit('a', 'x = 30');
    expect(session.codeOf('a')).toBe('x = 30');
    expect(session.hasUnsavedChanges).toBe(true);
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS - 1);
    expect(requests.filter((request) => request.method === 'PUT')).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(requests.filter((request) => request.method === 'PUT')).toEqual([
      expect.objectContaining({ path: '/api/notebooks/nb1/cells/a', body: { code: 'x = 30', revision: 0 } }),
    ]);
    expect(session.getSnapshot().local.a).toEqual({ saving: false, saved: 'x = 30', base: 1 });
    expect(session.hasUnsavedChanges).toBe(false);
  });

  it('keeps showing saved code until the socket shows it, so the editor never flips back', async () => {
    const { session, connect, socket } = setup();
    await connect();
    session.edit('a', 'x = 8');
    await session.flush('a');
    expect(session.getSnapshot().local.a).toEqual({ saving: false, saved: 'x = 8', base: 1 });
    expect(session.codeOf('a')).toBe('x = 8');
    socket().receive({ type: 'cell_status', seq: 11, cell_id: 'b', status: 'queued', stale: true, ran_revision: null, blocked_by: null, duration: null });
    expect(session.codeOf('a')).toBe('x = 8');
    socket().receive({ type: 'cell_updated', seq: 12, cell: { id: 'a', type: 'python', code: 'x = 8', output_name: null, revision: 1 }, index: 0 });
    expect(session.getSnapshot().local.a).toEqual({ saving: false });
    expect(session.codeOf('a')).toBe('x = 8');
  });

  it('lets a newer edit from another browser replace code saved here', async () => {
    const { session, connect, socket } = setup();
    await connect();
    session.edit('a', 'x = 8');
    await session.flush('a');
    socket().receive({ type: 'cell_updated', seq: 11, cell: { id: 'a', type: 'python', code: 'x = 8', output_name: null, revision: 1 }, index: 0 });
    socket().receive({ type: 'cell_updated', seq: 12, cell: { id: 'a', type: 'python', code: 'x = 9', output_name: null, revision: 2 }, index: 0 });
    expect(session.codeOf('a')).toBe('x = 9');
  });

  describe('with a cell changed in another browser', () => {
    /** A server holding cell a at some revision, refusing edits based on another one as the backend does. */
    function shared() {
      const server = { code: 'x = 2', revision: 0 };
      const conflict = (cellId: string) => ({ detail: 'it changed', cell: makeCell({ id: cellId, ...server }) });
      const harness = setup({
        'PUT /api/notebooks/:notebook_id/cells/:cell_id': (params, body) => {
          const { revision, code } = body as { revision?: number; code: string };
          if (revision !== undefined && revision !== server.revision) return json(conflict(params.cell_id ?? ''), 409);
          Object.assign(server, { code, revision: server.revision + 1 });
          return json(makeCell({ id: params.cell_id ?? '', ...server }));
        },
      });
      const changeElsewhere = (code: string, seq: number) => {
        Object.assign(server, { code, revision: server.revision + 1 });
        harness.socket().receive({ type: 'cell_updated', seq, cell: { id: 'a', type: 'python', output_name: null, ...server }, index: 0 });
      };
      return { ...harness, server, changeElsewhere };
    }

    const puts = (requests: ReturnType<typeof setup>['requests']) => requests.filter((request) => request.method === 'PUT');

    it('keeps the text typed here and says so, instead of replacing theirs', async () => {
      const { session, requests, connect, socket, changeElsewhere, server } = shared();
      await connect();
      session.edit('a', 'x = "mine"');
      changeElsewhere('x = "theirs"', 11);
      expect(await session.flush('a')).toBe(false);
      expect(puts(requests).map((request) => request.body)).toEqual([{ code: 'x = "mine"', revision: 0 }]);
      expect(server.code).toBe('x = "theirs"');
      expect(session.codeOf('a')).toBe('x = "mine"');
      expect(session.hasUnsavedChanges).toBe(true);
      const local = session.getSnapshot().local.a;
      expect(local?.conflict).toEqual({ code: 'x = "theirs"', revision: 1 });
      expect(local?.problem).toMatch(/changed elsewhere since you started editing/);
      session.edit('a', 'x = "mine!"');
      expect(session.getSnapshot().local.a?.problem).toMatch(/changed elsewhere/);
      await session.run('a');
      expect(socket().sent).toEqual([]);
      expect(server.code).toBe('x = "theirs"');
    });

    it('saves the text typed here over theirs once the user keeps it', async () => {
      const { session, requests, connect, changeElsewhere, server } = shared();
      await connect();
      session.edit('a', 'x = "mine"');
      changeElsewhere('x = "theirs"', 11);
      await session.flush('a');
      expect(await session.keepMine('a')).toBe(true);
      expect(puts(requests).at(-1)?.body).toEqual({ code: 'x = "mine"', revision: 1 });
      expect(server).toEqual({ code: 'x = "mine"', revision: 2 });
      expect(session.getSnapshot().local.a).toEqual({ saving: false, saved: 'x = "mine"', base: 2 });
    });

    it('drops the text typed here when the user takes theirs', async () => {
      const { session, requests, connect, changeElsewhere } = shared();
      await connect();
      session.edit('a', 'x = "mine"');
      changeElsewhere('x = "theirs"', 11);
      await session.flush('a');
      await session.takeTheirs('a');
      expect(session.codeOf('a')).toBe('x = "theirs"');
      expect(session.getSnapshot().local.a).toEqual({ saving: false });
      expect(session.hasUnsavedChanges).toBe(false);
      await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
      expect(puts(requests)).toHaveLength(1);
    });

    it('bases the next save on its own last save, not on an older view', async () => {
      const { session, requests, connect, server } = shared();
      await connect();
      session.edit('a', 'x = 3');
      await session.flush('a');
      session.edit('a', 'x = 4'); // before the socket has shown x = 3
      expect(await session.flush('a')).toBe(true);
      expect(puts(requests).map((request) => request.body)).toEqual([
        { code: 'x = 3', revision: 0 },
        { code: 'x = 4', revision: 1 },
      ]);
      expect(server).toEqual({ code: 'x = 4', revision: 2 });
    });
  });

  it('saves the draft before asking the server to run the cell', async () => {
    const { session, requests, connect, socket } = setup();
    await connect();
    session.edit('a', 'x = 5');
    await session.run('a');
    expect(requests.at(-1)).toMatchObject({ method: 'PUT', body: { code: 'x = 5' } });
    expect(socket().sent).toEqual([{ type: 'run_cell', cell_id: 'a' }]);
  });

  it('does not run a cell whose code could not be saved, and says why', async () => {
    const { session, connect, socket } = setup({
      'PUT /api/notebooks/:notebook_id/cells/:cell_id': () => json({ detail: 'the code is 2000000 bytes' }, 413),
    });
    await connect();
    session.edit('a', 'x = 5');
    await session.run('a');
    expect(socket().sent).toEqual([]);
    expect(session.getSnapshot().local.a).toMatchObject({ draft: 'x = 5', problem: 'Not saved: the code is 2000000 bytes' });
  });

  it('tells the user a cell did not run while disconnected', async () => {
    const { session } = setup();
    await vi.advanceTimersByTimeAsync(0);
    await session.run('a');
    expect(session.getSnapshot().local.a?.problem).toMatch(/Not connected/);
  });

  it('re-syncs after a reconnect: REST while down, then the new socket snapshot', async () => {
    const { session, connect, socket, serve, requests } = setup();
    await connect();
    serve(notebook(12, 'x = 99'));
    socket().drop();
    expect(session.getSnapshot().connection).toMatchObject({ status: 'reconnecting', attempt: 1 });
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.filter((request) => request.method === 'GET')).toHaveLength(2);
    expect(session.getSnapshot().notebook?.cells.a?.code).toBe('x = 99');

    await vi.advanceTimersByTimeAsync(100);
    expect(FakeWebSocket.instances).toHaveLength(2);
    socket().open();
    socket().receive({ type: 'snapshot', notebook: notebook(3, 'x = 100') }); // a restarted server counts from 0
    expect(session.getSnapshot().notebook).toMatchObject({ seq: 3, cells: { a: { code: 'x = 100' } } });
    socket().receive({ type: 'cell_deleted', seq: 4, cell_id: 'b' });
    expect(session.getSnapshot().notebook?.order).toEqual(['a']);
  });

  it('asks for a snapshot when it notices missed events', async () => {
    const { session, connect, socket } = setup();
    await connect();
    socket().receive({ type: 'cell_deleted', seq: 13, cell_id: 'b' });
    expect(socket().sent).toEqual([{ type: 'sync' }]);
    socket().receive({ type: 'cell_deleted', seq: 14, cell_id: 'a' });
    expect(socket().sent).toEqual([{ type: 'sync' }]);
    expect(session.getSnapshot().notebook?.order).toEqual(['a', 'b']);
  });

  it('ignores a REST answer older than what the live socket already showed', async () => {
    const { session, connect, socket, serve } = setup();
    await connect();
    socket().receive({ type: 'cell_deleted', seq: 11, cell_id: 'b' });
    serve(notebook(10));
    await session.refresh();
    expect(session.getSnapshot().notebook?.order).toEqual(['a']);
  });

  it('adds a cell after another and opens its editor', async () => {
    const { session, connect, requests } = setup();
    await connect();
    await session.addCell('sql', 'a');
    expect(requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/notebooks/nb1/cells', body: { type: 'sql', after_cell_id: 'a' } });
    expect(session.getSnapshot().activeCellId).toBe('new');
  });

  it('brings a deleted cell back with its code, in its place', async () => {
    const { session, connect, requests } = setup({ 'DELETE /api/notebooks/:notebook_id/cells/:cell_id': () => new Response(null, { status: 204 }) });
    await connect();
    session.edit('a', 'x = 3');
    await session.deleteCell('a');
    expect(session.getSnapshot().notice).toBeNull();
    expect(session.getSnapshot().lastDeleted).toEqual({ type: 'python', code: 'x = 3', index: 0, outputName: null });
    await session.undoDelete();
    const writes = requests.filter((request) => request.method !== 'GET');
    expect(writes.slice(-2)).toMatchObject([
      { method: 'POST', path: '/api/notebooks/nb1/cells', body: { type: 'python', after_cell_id: null, code: 'x = 3' } },
      { method: 'POST', path: '/api/notebooks/nb1/cells/new/move', body: { index: 0 } },
    ]);
    expect(session.getSnapshot().lastDeleted).toBeNull();
    expect(session.getSnapshot().activeCellId).toBe('new');
  });

  it('inserts a cell below another at its index', async () => {
    const { session, connect, requests } = setup();
    await connect();
    expect(await session.insertCell('python', 1)).toBe('new');
    expect(requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/notebooks/nb1/cells', body: { type: 'python', after_cell_id: 'a' } });
    expect(session.getSnapshot().activeCellId).toBe('new');
  });

  it('inserts a cell without opening its editor when asked (a and b in command mode)', async () => {
    const { session, connect } = setup();
    await connect();
    expect(await session.insertCell('python', 0, { open: false })).toBe('new');
    expect(session.getSnapshot().activeCellId).toBeNull();
  });

  it('moves a cell by one place and ignores moves past either end', async () => {
    const { session, connect, requests } = setup();
    await connect();
    await session.moveCell('a', -1);
    expect(requests.filter((request) => request.path.endsWith('/move'))).toEqual([]);
    await session.moveCell('a', 1);
    expect(requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/notebooks/nb1/cells/a/move', body: { index: 1 } });
  });

  it('shows a failed command as a notice, and server error messages too', async () => {
    const { session, connect, socket } = setup({
      'POST /api/notebooks/:notebook_id/cells': () => json({ detail: 'could not save the notebook' }, 503),
    });
    await connect();
    await session.addCell('python', null);
    expect(session.getSnapshot().notice).toBe('could not save the notebook');
    socket().receive({ type: 'error', message: "no cell with id 'zz' in this notebook" });
    expect(session.getSnapshot().notice).toBe("no cell with id 'zz' in this notebook");
  });

  it('stops and reports a notebook that does not exist', async () => {
    const { session } = setup({ 'GET /api/notebooks/:notebook_id': () => json({ detail: "no notebook with id 'nb1'" }, 404) });
    await vi.advanceTimersByTimeAsync(0);
    expect(session.getSnapshot().loadError).toEqual({ status: 404, message: "no notebook with id 'nb1'" });
    expect(session.getSnapshot().connection.status).toBe('closed');
  });

  it('sends run all, interrupt and restart over the socket', async () => {
    const { session, connect, socket } = setup();
    await connect();
    await session.runAll();
    session.interrupt();
    session.restartKernel();
    expect(socket().sent).toEqual([{ type: 'run_all' }, { type: 'interrupt' }, { type: 'restart_kernel' }]);
  });
});

describe('NotebookSession saves', () => {
  /** A server that cannot be reached while `network.down`, as fetch fails offline. */
  function flaky() {
    const network = { down: false };
    const harness = setup({
      'PUT /api/notebooks/:notebook_id/cells/:cell_id': (params, body) => {
        if (network.down) throw new TypeError('Failed to fetch');
        const { revision, ...change } = body as { revision?: number };
        return json({ ...makeCell({ id: params.cell_id ?? '' }), ...change, revision: (revision ?? 0) + 1 });
      },
    });
    const puts = () => harness.requests.filter((request) => request.method === 'PUT').map((request) => request.body);
    return { ...harness, network, puts };
  }
  const kept = () => localStorage.getItem('notebook-drafts:nb1');

  it('keeps an edit made offline and sends it once the socket is back', async () => {
    const { session, socket, connect, network, puts } = flaky();
    await connect();
    network.down = true;
    session.edit('a', 'x = 3');
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(session.getSnapshot().local.a?.problem).toMatch(/cannot be reached.*kept here/);
    expect(saveStateOf(session.getSnapshot())).toBe('unsaved');
    expect(JSON.parse(kept() ?? '{}')).toEqual({ a: { code: 'x = 3', base: 0, type: 'python' } });
    socket().drop();
    expect(saveStateOf(session.getSnapshot())).toBe('offline');

    network.down = false;
    await vi.advanceTimersByTimeAsync(100);
    socket().open();
    await vi.advanceTimersByTimeAsync(0);
    expect(puts().at(-1)).toEqual({ code: 'x = 3', revision: 0 });
    expect(session.hasUnsavedChanges).toBe(false);
    expect(session.getSnapshot().local.a?.problem).toBeUndefined();
    expect(saveStateOf(session.getSnapshot())).toBe('saved');
    expect(kept()).toBeNull();
  });

  it('retries with backoff while the socket stays up but requests fail', async () => {
    const { session, connect, network, puts } = flaky();
    await connect();
    network.down = true;
    session.edit('a', 'x = 4');
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS + 2_000);
    expect(puts().length).toBeGreaterThan(1);
    network.down = false;
    await vi.advanceTimersByTimeAsync(20_000);
    expect(puts().at(-1)).toEqual({ code: 'x = 4', revision: 0 });
    expect(session.hasUnsavedChanges).toBe(false);
  });

  it('sends the edits a closed page left unsaved when the notebook opens again', async () => {
    const first = flaky();
    await first.connect();
    first.network.down = true;
    first.session.edit('a', 'x = 5');
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    first.session.dispose();

    const second = flaky();
    expect(second.session.codeOf('a')).toBe('x = 5');
    expect(second.session.hasUnsavedChanges).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    expect(second.puts()).toEqual([{ code: 'x = 5', revision: 0 }]);
    expect(second.session.hasUnsavedChanges).toBe(false);
    expect(kept()).toBeNull();
  });

  it('brings back the text of a cell deleted elsewhere as a new cell, and says so', async () => {
    const { session, socket, connect, requests } = flaky();
    await connect();
    session.edit('b', 'y = x * 100');
    socket().receive({ type: 'cell_deleted', seq: 11, cell_id: 'b' });
    await vi.advanceTimersByTimeAsync(0);
    expect(requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/notebooks/nb1/cells',
      body: { type: 'python', after_cell_id: null, code: 'y = x * 100' },
    });
    expect(session.getSnapshot().notice).toMatch(/deleted elsewhere.*new cell at the end/);
    expect(session.hasUnsavedChanges).toBe(false);
    expect(kept()).toBeNull();
  });

  it('does not bring back a cell the user deleted', async () => {
    const { session, connect, requests } = setup({ 'DELETE /api/notebooks/:notebook_id/cells/:cell_id': () => json(null, 204) });
    await connect();
    session.edit('b', 'y = 1');
    await session.deleteCell('b');
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(requests.filter((request) => request.method !== 'GET').map((request) => request.method)).toEqual(['DELETE']);
    expect(kept()).toBeNull();
  });
});

describe('presence', () => {
  it('tells the server which cell this tab edits, and no cell once the editor loses the focus', async () => {
    const { session, connect, socket } = setup();
    await connect();
    session.startEditing('a');
    session.startEditing('a');
    session.startEditing('b');
    session.stopEditing('a'); // not the edited cell any more: nothing to say
    session.stopEditing('b');
    expect(socket().sent).toEqual([
      { type: 'presence', cell_id: 'a' },
      { type: 'presence', cell_id: 'b' },
      { type: 'presence', cell_id: null },
    ]);
    session.startEditing('a');
    session.deactivate('a'); // the editor closed
    expect(socket().sent.slice(3)).toEqual([
      { type: 'presence', cell_id: 'a' },
      { type: 'presence', cell_id: null },
    ]);
  });

  it('says it again after reconnecting, and forgets who was here while disconnected', async () => {
    const { session, connect, socket } = setup();
    await connect();
    session.startEditing('b');
    socket().receive({ type: 'presence', people: [{ id: 'bob@example.com', name: 'Bob Example', cell_ids: ['b'] }] });
    expect(session.getSnapshot().people).toEqual([{ id: 'bob@example.com', name: 'Bob Example', cell_ids: ['b'] }]);
    socket().drop();
    expect(session.getSnapshot().people).toEqual([]);
    await vi.advanceTimersByTimeAsync(200);
    await connect();
    expect(socket().sent).toEqual([{ type: 'presence', cell_id: 'b' }]);
    expect(session.getSnapshot().editingCellId).toBe('b');
  });
});

describe('a viewer', () => {
  const viewing = () => makeNotebook([makeCell({ id: 'a', code: 'x = 1' })], { role: 'viewer', owner: 'alice@example.com' });

  async function asViewer() {
    const context = setup({ 'GET /api/notebooks/:notebook_id': () => json(viewing()) });
    context.socket().open();
    context.socket().receive({ type: 'snapshot', notebook: viewing() });
    await vi.advanceTimersByTimeAsync(0);
    return context;
  }

  it('changes and runs nothing, and is told why once', async () => {
    const { session, socket, requests } = await asViewer();
    expect(session.editable).toBe(false);
    session.edit('a', 'x = 2');
    expect(session.getSnapshot().local).toEqual({});
    expect(session.getSnapshot().notice).toMatch(/^View only/);
    session.dismissNotice();
    await session.run('a');
    await session.runAll();
    session.interrupt();
    await session.addCell('python', null);
    await session.deleteCell('a');
    await session.moveCell('a', 1);
    await session.rename('Mine now');
    await vi.advanceTimersByTimeAsync(SAVE_DELAY_MS);
    expect(session.getSnapshot().notice).toBeNull();
    expect(socket().sent).toEqual([]);
    expect(requests.filter((request) => request.method !== 'GET')).toEqual([]);
  });

  it('does not tell the others it edits a cell', async () => {
    const { session, socket } = await asViewer();
    session.startEditing('a');
    expect(socket().sent).toEqual([]);
    expect(session.getSnapshot().editingCellId).toBeNull();
  });

  it('sees the server refusing a change (403) as a notice with its reason', async () => {
    const { session, connect } = setup({
      'PUT /api/notebooks/:notebook_id/name': () => json({ detail: 'renaming needs the editor role' }, 403),
    });
    await connect();
    await session.rename('Other');
    expect(session.getSnapshot().notice).toBe('renaming needs the editor role');
  });
});
