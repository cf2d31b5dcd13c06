import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { json } from '../../../testing/fake-api';
import { FakeWebSocket } from '../../../testing/fake-websocket';
import { makeCell, makeNotebook } from '../../../testing/fixtures';
import { renderApp } from '../../../testing/render';
import type { NotebookDetail } from '../api/notebooks';
import { NotebookView } from './notebook-view';

// Monaco cannot run in jsdom: a stand-in that records which cells have an editor open.
const editors = vi.hoisted(() => new Set<string>());
vi.mock('./monaco-code-editor', async () => {
  const { useEffect } = await import('react');
  return {
    default: function FakeEditor({
      code,
      label,
      onChange,
      onCommand,
    }: {
      code: string;
      label: string;
      onChange: (code: string) => void;
      onCommand: (command: string) => void;
    }) {
      useEffect(() => {
        editors.add(label);
        return () => void editors.delete(label);
      }, [label]);
      return (
        <textarea
          aria-label={label}
          value={code}
          onChange={(event) => onChange(event.target.value)}
          onKeyDown={(event) => {
            if (event.key === 'Enter' && event.shiftKey) onCommand('runAndAdvance');
            else if (event.key === 'Enter' && event.ctrlKey) onCommand('runInPlace');
            else if (event.key === 'Escape') onCommand('commandMode');
          }}
        />
      );
    },
  };
});

// Counts the renders of each cell's outputs: a cell that is not re-rendered does not render them.
const outputRenders = vi.hoisted(() => new Map<string, number>());
vi.mock('./cell-outputs', () => ({
  CellOutputs: ({ cell }: { cell: { id: string; console: { text: string }[] } }) => {
    outputRenders.set(cell.id, (outputRenders.get(cell.id) ?? 0) + 1);
    return <pre>{cell.console.map((chunk) => chunk.text).join('')}</pre>;
  },
}));

beforeEach(() => {
  FakeWebSocket.reset();
  editors.clear();
  outputRenders.clear();
});

function open(notebook: NotebookDetail, routes: Parameters<typeof renderApp>[2] = {}) {
  const app = renderApp([{ path: '/notebooks/:id', element: <NotebookView notebookId={notebook.id} /> }], `/notebooks/${notebook.id}`, {
    'GET /api/notebooks/:notebook_id': () => json(notebook),
    'PUT /api/notebooks/:notebook_id/cells/:cell_id': () => json(makeCell({ id: 'x' })),
    ...routes,
  });
  const connect = () =>
    act(() => {
      FakeWebSocket.latest.open();
      FakeWebSocket.latest.receive({ type: 'snapshot', notebook });
    });
  return { ...app, connect };
}

const bigNotebook = makeNotebook(
  Array.from({ length: 500 }, (_, index) => makeCell({ id: `c${index}`, code: `v${index} = ${index}` })),
  { id: 'big' },
);

describe('a 500-cell notebook', () => {
  // Role queries over thousands of nodes are slow in jsdom: cells are found by their data attribute.
  const cellNode = (id: string) => document.querySelector(`[data-cell-id="${id}"]`) as HTMLElement;
  const preview = (id: string) => cellNode(id).querySelector('.code-preview') as HTMLElement;
  const loaded = () => waitFor(() => expect(document.querySelectorAll('article.cell')).toHaveLength(500));

  it('renders every cell without a single code editor until one is opened', async () => {
    const { connect } = open(bigNotebook);
    await loaded();
    connect();
    expect(editors.size).toBe(0);

    fireEvent.click(preview('c249'));
    await waitFor(() => expect([...editors]).toEqual(['Code of cell [250]']));

    fireEvent.click(preview('c2'));
    await waitFor(() => expect([...editors]).toEqual(['Code of cell [3]']));
    expect(preview('c249').textContent).toBe('v249 = 249');
  });

  it('renders only the cell a message is about', async () => {
    const { connect } = open(bigNotebook);
    await loaded();
    connect();
    outputRenders.clear();
    act(() => {
      FakeWebSocket.latest.receive({ type: 'cell_status', seq: 11, cell_id: 'c7', status: 'running', stale: false, ran_revision: null, blocked_by: null, duration: null });
      FakeWebSocket.latest.receive({ type: 'cell_stdout', seq: 12, cell_id: 'c7', stream: 'stdout', text: 'tick\n' });
    });
    expect(cellNode('c7').textContent).toContain('tick');
    expect(cellNode('c7').dataset.status).toBe('running');
    expect([...outputRenders.keys()]).toEqual(['c7']);
  });
});

describe('a notebook', () => {
  const notebook = makeNotebook([
    makeCell({ id: 'a', code: 'x = 2', status: 'success', stale: false, defines: ['x'] }),
    makeCell({ id: 'b', code: 'y = x * 10', depends_on: ['a'], status: 'blocked', blocked_by: 'a' }),
  ]);

  it('shows status, what a cell defines and what it reads', async () => {
    open(notebook);
    const second = await screen.findByRole('article', { name: 'Cell [2]' });
    expect(within(second).getByTestId('cell-status').textContent).toBe('blocked by [1]');
    expect(second.textContent).toContain('reads from [1]');
    expect(screen.getByRole('article', { name: 'Cell [1]' }).textContent).toContain('defines x');
  });

  it('runs a cell with Shift+Enter from its code, and from the editor after saving the edit', async () => {
    const { connect, requests } = open(notebook);
    const preview = await screen.findByRole('button', { name: 'Code of cell [1]' });
    connect();
    fireEvent.keyDown(preview, { key: 'Enter', shiftKey: true });
    await waitFor(() => expect(FakeWebSocket.latest.sent).toEqual([{ type: 'run_cell', cell_id: 'a' }]));

    fireEvent.keyDown(preview, { key: 'Enter' });
    const editor = await screen.findByRole('textbox', { name: 'Code of cell [1]' });
    fireEvent.change(editor, { target: { value: 'x = 3' } });
    fireEvent.keyDown(editor, { key: 'Enter', shiftKey: true });
    await waitFor(() => expect(FakeWebSocket.latest.sent).toHaveLength(2));
    expect(requests.filter((request) => request.method === 'PUT')).toEqual([
      expect.objectContaining({ path: '/api/notebooks/nb1/cells/a', body: { code: 'x = 3', revision: 0 } }),
    ]);
  });

  it('leaves the editor with Esc, then deletes the selected cell with d d and brings it back with z', async () => {
    const { connect, requests } = open(notebook, {
      'DELETE /api/notebooks/:notebook_id/cells/:cell_id': () => new Response(null, { status: 204 }),
      'POST /api/notebooks/:notebook_id/cells': () => json({ cell_id: 'restored' }, 201),
      'POST /api/notebooks/:notebook_id/cells/:cell_id/move': () => json({ cell_ids: ['restored', 'b'] }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Code of cell [1]' }));
    connect();
    const editor = await screen.findByRole('textbox', { name: 'Code of cell [1]' });
    fireEvent.keyDown(editor, { key: 'Escape' });
    const article = screen.getByRole('article', { name: 'Cell [1]' });
    await waitFor(() => expect(document.activeElement).toBe(article));
    expect(screen.queryByRole('textbox', { name: 'Code of cell [1]' })).toBeNull();

    fireEvent.keyDown(article, { key: 'j' });
    expect(document.activeElement).toBe(screen.getByRole('article', { name: 'Cell [2]' }));
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'k' });
    expect(document.activeElement).toBe(article);
    fireEvent.keyDown(article, { key: 'd' });
    fireEvent.keyDown(article, { key: 'd' });
    await waitFor(() => expect(requests.filter((request) => request.method === 'DELETE')).toHaveLength(1));
    expect(await screen.findByText(/Cell deleted/)).toBeTruthy();
    fireEvent.keyDown(document.activeElement as HTMLElement, { key: 'z' });
    await waitFor(() =>
      expect(requests.filter((request) => request.method === 'POST').map((request) => request.body)).toEqual([
        { type: 'python', after_cell_id: null, code: 'x = 2' },
        { index: 0 },
      ]),
    );
  });

  it('keeps an edit refused because the cell changed elsewhere, and lets the user pick a version', async () => {
    const theirs = makeCell({ id: 'a', code: 'x = 99', revision: 1 });
    const { connect, requests } = open(notebook, {
      'PUT /api/notebooks/:notebook_id/cells/:cell_id': () => json({ detail: 'it changed', cell: theirs }, 409),
    });
    fireEvent.keyDown(await screen.findByRole('button', { name: 'Code of cell [1]' }), { key: 'Enter' });
    connect();
    const editor = await screen.findByRole('textbox', { name: 'Code of cell [1]' });
    fireEvent.change(editor, { target: { value: 'x = 3' } });
    act(() => FakeWebSocket.latest.receive({ type: 'cell_updated', seq: 11, cell: { id: 'a', type: 'python', code: 'x = 99', output_name: null, revision: 1 }, index: 0 }));
    // Ctrl+Enter runs in place: the editor stays open to show the conflict.
    fireEvent.keyDown(editor, { key: 'Enter', ctrlKey: true });

    const cell = screen.getByRole('article', { name: 'Cell [1]' });
    expect((await within(cell).findByRole('alert')).textContent).toMatch(/changed elsewhere/);
    expect(within(cell).getByLabelText('The other version').textContent).toContain('x = 99');
    expect((editor as HTMLTextAreaElement).value).toBe('x = 3');
    expect(FakeWebSocket.latest.sent).toEqual([]);
    expect(requests.filter((request) => request.method === 'PUT').map((request) => request.body)).toEqual([{ code: 'x = 3', revision: 0 }]);

    fireEvent.click(within(cell).getByRole('button', { name: 'Use the other version' }));
    await waitFor(() => expect((editor as HTMLTextAreaElement).value).toBe('x = 99'));
    expect(within(cell).queryByRole('alert')).toBeNull();
    expect(within(cell).queryByLabelText('The other version')).toBeNull();
  });

  it('shows the connection, and disables running while it is down', async () => {
    const { connect } = open(notebook);
    await screen.findByRole('article', { name: 'Cell [1]' });
    expect(screen.getByRole('status').textContent).toContain('Connecting');
    connect();
    expect(screen.getByRole('status').textContent).toContain('Live');
    expect(screen.getByText('Python ready')).toBeTruthy();
    const run = within(screen.getByRole('article', { name: 'Cell [1]' })).getByRole('button', { name: 'Run' });
    expect((run as HTMLButtonElement).disabled).toBe(false);
    act(() => FakeWebSocket.latest.drop());
    expect(screen.getByRole('status').textContent).toMatch(/Reconnecting in \ds/);
    expect(screen.queryByText('Python ready')).toBeNull();
    expect(screen.getByText('Python: unknown while disconnected')).toBeTruthy();
    expect(screen.getByTestId('save-state').textContent).toBe('Saved');
    expect((run as HTMLButtonElement).disabled).toBe(true);
    expect(screen.getByRole('button', { name: 'Retry now' })).toBeTruthy();
  });

  it('shows cells another browser adds, edits and deletes', async () => {
    const { connect } = open(notebook);
    await screen.findByRole('article', { name: 'Cell [1]' });
    connect();
    act(() => {
      FakeWebSocket.latest.receive({ type: 'cell_created', seq: 11, cell: makeCell({ id: 'c', code: 'z = y + 1' }), index: 1 });
      FakeWebSocket.latest.receive({ type: 'cell_updated', seq: 12, cell: { id: 'a', type: 'python', code: 'x = 42', output_name: null }, index: 0 });
    });
    expect(screen.getByRole('button', { name: 'Code of cell [2]' }).textContent).toBe('z = y + 1');
    expect(screen.getByRole('button', { name: 'Code of cell [1]' }).textContent).toBe('x = 42');
    act(() => FakeWebSocket.latest.receive({ type: 'cell_deleted', seq: 13, cell_id: 'a' }));
    expect(screen.getAllByRole('article')).toHaveLength(2);
  });

  it('says why the kernel was stopped until a cell runs again', async () => {
    const reason = 'the kernel was stopped after 30 minutes without use (KERNEL_IDLE_SECONDS): run the cells again';
    const { connect } = open(makeNotebook([makeCell({ id: 'a' })], { id: 'idle', kernel: { state: 'stopped', reason } }));
    await screen.findByText('Run all');
    connect();
    expect(screen.getByText(/stopped after 30 minutes without use/).textContent).toBe(
      'The kernel was stopped after 30 minutes without use (KERNEL_IDLE_SECONDS): run the cells again.',
    );
    act(() => FakeWebSocket.latest.receive({ type: 'kernel_status', seq: 11, state: 'ready', reason: null, progress: null }));
    expect(screen.queryByText(/stopped after 30 minutes/)).toBeNull();
    // A crash's reason is the kernel state's hover text, not a notice: the restart is over in a moment.
    act(() => FakeWebSocket.latest.receive({ type: 'kernel_status', seq: 12, state: 'restarting', reason: 'the kernel process was killed by signal SIGKILL', progress: null }));
    expect(screen.queryByText(/killed by signal/)).toBeNull();
  });

  it('shows the progress of a kernel start as the server sends it, and why the kernel could not start', async () => {
    const { connect } = open(makeNotebook([makeCell({ id: 'a' })], { id: 'ecs', kernel: { state: 'starting', reason: null, progress: 'ECS task PROVISIONING (2 s)' } }));
    await screen.findByText('Run all');
    connect();
    const kernelState = () => document.querySelector('.kernel-state')?.textContent;
    expect(kernelState()).toBe('Starting kernel… ECS task PROVISIONING (2 s)');
    act(() => FakeWebSocket.latest.receive({ type: 'kernel_status', seq: 11, state: 'starting', reason: null, progress: 'ECS task PENDING (12 s)' }));
    expect(kernelState()).toBe('Starting kernel… ECS task PENDING (12 s)');
    const why = 'the kernel could not start: the kernel task stopped before running: CannotPullContainerError: pull access denied';
    act(() => FakeWebSocket.latest.receive({ type: 'kernel_status', seq: 12, state: 'stopped', reason: why, progress: null }));
    expect(kernelState()).toBe('Python idle');
    expect(screen.getByText(/CannotPullContainerError/).textContent).toBe(
      'The kernel could not start: the kernel task stopped before running: CannotPullContainerError: pull access denied.',
    );
  });

  it('chooses the kernel size in the header among the offered ones, and follows a choice made elsewhere', async () => {
    const sizes = {
      launcher: 'ecs',
      default: 'small',
      sizes: [
        { name: 'small', vcpus: 0.5, memory_gib: 1 },
        { name: 'large', vcpus: 2, memory_gib: 8 },
      ],
    };
    const { connect, requests } = open(notebook, {
      'GET /api/kernels/sizes': () => json(sizes),
      'PUT /api/notebooks/:notebook_id/kernel-size': () => json({ kernel_size: 'large', applies_at_next_start: true }),
    });
    await screen.findByText('Run all');
    connect();
    const picker = screen.getByLabelText<HTMLSelectElement>('Kernel size');
    await waitFor(() => expect(picker.disabled).toBe(false));
    expect(picker.value).toBe('small');
    fireEvent.change(picker, { target: { value: 'large' } });
    expect(await screen.findByText(/large applies when it restarts/)).toBeTruthy();
    expect(requests.filter((request) => request.path.endsWith('/kernel-size')).map((request) => request.body)).toEqual([
      { kernel_size: 'large' },
    ]);
    const summary = { id: 'nb1', name: 'Forecast', created_at: '', updated_at: '', cell_count: 2, db_connection_set: false };
    act(() => FakeWebSocket.latest.receive({ type: 'notebook_updated', notebook: { ...summary, kernel_size: 'large' } }));
    expect(picker.value).toBe('large');
  });

  it('says when the notebook does not exist', async () => {
    renderApp([{ path: '/notebooks/:id', element: <NotebookView notebookId="gone" /> }], '/notebooks/gone', {
      'GET /api/notebooks/:notebook_id': () => json({ detail: "no notebook with id 'gone'" }, 404),
    });
    expect((await screen.findByRole('alert')).textContent).toContain('Notebook not found');
  });
});
