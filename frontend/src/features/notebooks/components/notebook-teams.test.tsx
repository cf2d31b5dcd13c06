// Roles, presence and sharing in the notebook page (the "Teams" features).
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { json } from '../../../testing/fake-api';
import { FakeWebSocket } from '../../../testing/fake-websocket';
import { makeCell, makeNotebook } from '../../../testing/fixtures';
import { authWith, renderApp } from '../../../testing/render';
import type { NotebookDetail } from '../api/notebooks';
import { NotebookView } from './notebook-view';

// Monaco cannot run in jsdom: a textarea that keeps the props the notebook gives the editor.
vi.mock('./monaco-code-editor', () => ({
  default: function FakeEditor(props: {
    code: string;
    label: string;
    readOnly?: boolean;
    onChange: (code: string) => void;
    onFocus?: () => void;
    onBlur: () => void;
    onCommand: (command: string) => void;
  }) {
    return (
      <textarea
        aria-label={props.label}
        value={props.code}
        readOnly={props.readOnly}
        onChange={(event) => props.onChange(event.target.value)}
        onFocus={props.onFocus}
        onBlur={props.onBlur}
        onKeyDown={(event) => event.key === 'Enter' && event.shiftKey && props.onCommand('runAndAdvance')}
      />
    );
  },
}));

beforeEach(() => FakeWebSocket.reset());

const ALICE = { id: 'alice@example.com', name: 'Alice Example', email: 'alice@example.com', groups: [], admin: false };
const BOB = { id: 'bob@example.com', name: 'Bob Example', cell_ids: ['a'] };
const signedIn = () => authWith({ mode: 'oidc', user: ALICE, csrf_token: 'c1', login_url: '/api/auth/login' });

function open(notebook: NotebookDetail, routes: Parameters<typeof renderApp>[2] = {}, auth = signedIn()) {
  const activity = vi.fn(() => <section aria-label="Activity" />);
  const app = renderApp(
    [{ path: '/notebooks/:id', element: <NotebookView notebookId={notebook.id} activity={activity} /> }],
    `/notebooks/${notebook.id}`,
    { 'GET /api/notebooks/:notebook_id': () => json(notebook), ...routes },
    auth,
  );
  const connect = () =>
    act(() => {
      FakeWebSocket.latest.open();
      FakeWebSocket.latest.receive({ type: 'snapshot', notebook });
    });
  return { ...app, connect };
}

const cells = [makeCell({ id: 'a', code: 'x = 1' }), makeCell({ id: 'b', code: 'y = 2', type: 'sql', output_name: 'df' })];
const viewing = makeNotebook(cells, { role: 'viewer', owner: 'carol@example.com' });
const owning = makeNotebook(cells, { role: 'owner', owner: 'alice@example.com' });
const editing = makeNotebook(cells, { role: 'editor', owner: 'carol@example.com' });

describe('a viewer', () => {
  it('reads the code and outputs under a banner, without a single control that changes or runs', async () => {
    const { connect } = open(viewing);
    expect((await screen.findByRole('note')).textContent).toBe('View only: carol@example.com shared this notebook with you as a viewer');
    connect();
    for (const name of ['Run', 'Run all', 'Interrupt', 'Restart Python', 'Move up', 'Move down', 'Delete', '+ Python', 'Share', 'Activity']) {
      expect(screen.queryAllByRole('button', { name })).toEqual([]);
    }
    expect(screen.queryByRole('button', { name: /^Database/ })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Rename' })).toBeNull();
    expect(screen.getByRole('heading', { name: 'Forecast' })).toBeTruthy();
    expect(screen.getByRole('button', { name: 'History' })).toBeTruthy();
    expect((screen.getByDisplayValue('df') as HTMLInputElement).readOnly).toBe(true);
  });

  it('opens the code read-only, and a shortcut that runs does nothing but say why, once', async () => {
    const { connect } = open(viewing);
    const preview = await screen.findByRole('button', { name: 'Code of cell [1]' });
    connect();
    fireEvent.keyDown(preview, { key: 'Enter', shiftKey: true });
    expect((await screen.findByRole('alert')).textContent).toMatch(/^View only: you can read this notebook/);
    fireEvent.click(screen.getByRole('button', { name: 'Dismiss' }));
    fireEvent.keyDown(preview, { key: 'Enter', ctrlKey: true });
    fireEvent.keyDown(preview, { key: 'b' });
    fireEvent.keyDown(preview, { key: 'Enter' });
    const editor = (await screen.findByRole('textbox', { name: 'Code of cell [1]' })) as HTMLTextAreaElement;
    expect(editor.readOnly).toBe(true);
    fireEvent.keyDown(editor, { key: 'Enter', shiftKey: true });
    expect(screen.queryByRole('alert')).toBeNull();
    expect(FakeWebSocket.latest.sent).toEqual([]);
  });
});

describe('an editor and an owner', () => {
  it('an editor changes and runs but neither shares nor reads the activity', async () => {
    const { connect } = open(editing);
    await screen.findByRole('button', { name: 'Forecast' });
    connect();
    expect(screen.getByRole('button', { name: 'Run all' })).toBeTruthy();
    expect(screen.getAllByRole('button', { name: 'Run' })).toHaveLength(2);
    expect(screen.queryByRole('note')).toBeNull();
    expect(screen.queryByRole('button', { name: 'Share' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Activity' })).toBeNull();
  });

  it('an owner opens the Share dialog and the Activity panel', async () => {
    open(owning, { 'GET /api/notebooks/:notebook_id/access': () => json({ owner: 'alice@example.com', shares: [] }) });
    fireEvent.click(await screen.findByRole('button', { name: 'Activity' }));
    expect(screen.getByRole('region', { name: 'Activity' })).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Share' }));
    expect(await screen.findByRole('dialog', { name: 'Share' })).toBeTruthy();
  });

  it('without sign-in (everyone the local admin) there is nobody to share with: no Share button', async () => {
    open(owning, {}, authWith());
    expect(await screen.findByRole('button', { name: 'Activity' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Share' })).toBeNull();
  });
});

describe('presence', () => {
  it('shows the others in the header and on the cells they edit, and warns when editing the same cell', async () => {
    const { connect } = open(owning);
    const preview = await screen.findByRole('button', { name: 'Code of cell [1]' });
    connect();
    act(() =>
      FakeWebSocket.latest.receive({
        type: 'presence',
        people: [{ id: ALICE.id, name: ALICE.name, cell_ids: [] }, BOB],
      }),
    );
    const here = screen.getByRole('group', { name: 'Also here: Bob Example' });
    expect(within(here).getAllByRole('img').map((avatar) => avatar.title)).toEqual(['Bob Example']);
    const first = screen.getByRole('article', { name: 'Cell [1]' });
    expect(within(first).getByRole('group', { name: 'Editing this cell: Bob Example' }).textContent).toBe('BE');
    expect(within(screen.getByRole('article', { name: 'Cell [2]' })).queryByRole('img')).toBeNull();
    expect(screen.queryByText('Bob Example is editing this cell too')).toBeNull();

    fireEvent.click(preview);
    const editor = await screen.findByRole('textbox', { name: 'Code of cell [1]' });
    fireEvent.focus(editor);
    expect(within(first).getByRole('status').textContent).toBe('Bob Example is editing this cell too');
    expect(FakeWebSocket.latest.sent).toEqual([{ type: 'presence', cell_id: 'a' }]);
    fireEvent.blur(editor);
    expect(FakeWebSocket.latest.sent).toEqual([
      { type: 'presence', cell_id: 'a' },
      { type: 'presence', cell_id: null },
    ]);
  });
});

describe('a 409 edit conflict', () => {
  it('keeps the draft and says so next to the cell', async () => {
    const { connect } = open(owning, {
      'PUT /api/notebooks/:notebook_id/cells/:cell_id': () =>
        json({ detail: 'the cell changed', cell: makeCell({ id: 'a', code: 'x = 100', revision: 3 }) }, 409),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Code of cell [1]' }));
    connect();
    const editor = await screen.findByRole('textbox', { name: 'Code of cell [1]' });
    fireEvent.change(editor, { target: { value: 'x = 5' } });
    fireEvent.blur(editor);
    const first = screen.getByRole('article', { name: 'Cell [1]' });
    await waitFor(() => expect(within(first).getByRole('alert').textContent).toMatch(/changed elsewhere.*Your text is kept/));
    expect((within(first).getByRole('textbox') as HTMLTextAreaElement).value).toBe('x = 5');
  });
});
