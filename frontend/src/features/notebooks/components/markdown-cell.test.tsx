import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { json } from '../../../testing/fake-api';
import { FakeWebSocket } from '../../../testing/fake-websocket';
import { makeCell, makeNotebook } from '../../../testing/fixtures';
import { renderApp } from '../../../testing/render';
import type { NotebookDetail } from '../api/notebooks';
import { NotebookView } from './notebook-view';

// Monaco cannot run in jsdom: a textarea stand-in that records the language it was opened with.
const languages = vi.hoisted(() => new Map<string, string>());
vi.mock('./monaco-code-editor', () => ({
  default: function FakeEditor(props: {
    code: string;
    label: string;
    language: string;
    onChange: (code: string) => void;
    onCommand: (command: string) => void;
    onBlur: () => void;
  }) {
    languages.set(props.label, props.language);
    return (
      <textarea
        aria-label={props.label}
        value={props.code}
        onChange={(event) => props.onChange(event.target.value)}
        onBlur={props.onBlur}
        onKeyDown={(event) => event.key === 'Enter' && event.shiftKey && props.onCommand('runAndAdvance')}
      />
    );
  },
}));

beforeEach(() => {
  FakeWebSocket.reset();
  languages.clear();
});

const TEXT = '# Title\n\nSome *notes* <img src=x onerror=alert(1)> [docs](https://example.com)';

const notebook = makeNotebook([
  makeCell({ id: 'md', type: 'markdown', code: TEXT, stale: false }),
  makeCell({ id: 'a', code: 'x = 1' }),
]);

function open(detail: NotebookDetail = notebook) {
  const app = renderApp([{ path: '/notebooks/:id', element: <NotebookView notebookId={detail.id} /> }], `/notebooks/${detail.id}`, {
    'GET /api/notebooks/:notebook_id': () => json(detail),
    'PUT /api/notebooks/:notebook_id/cells/:cell_id': (_params, body) => json(makeCell({ id: 'md', type: 'markdown', ...(body as object), revision: 1 })),
    'POST /api/notebooks/:notebook_id/cells': () => json({ cell_id: 'new' }, 201),
  });
  act(() => {
    FakeWebSocket.latest.open();
    FakeWebSocket.latest.receive({ type: 'snapshot', notebook: detail });
  });
  return app;
}

describe('a markdown cell', () => {
  it('shows its text rendered and sanitized, with no run button, status or outputs', async () => {
    open();
    const cell = await screen.findByRole('article', { name: 'Cell [1]' });
    expect(within(cell).getByRole('heading', { level: 1 }).textContent).toBe('Title');
    expect(cell.querySelector('em')?.textContent).toBe('notes');
    const image = cell.querySelector('img');
    expect(image?.getAttribute('onerror')).toBeNull();
    expect(cell.innerHTML).not.toContain('onerror');
    expect(within(cell).getByText('Markdown')).toBeTruthy();
    expect(within(cell).queryByRole('button', { name: 'Run' })).toBeNull();
    expect(within(cell).queryByTestId('cell-status')).toBeNull();
    expect(within(screen.getByRole('article', { name: 'Cell [2]' })).getByRole('button', { name: 'Run' })).toBeTruthy();
  });

  it('opens a markdown editor on click, saves on blur and shows the new text rendered, never running', async () => {
    const { requests } = open();
    const cell = await screen.findByRole('article', { name: 'Cell [1]' });
    fireEvent.click(within(cell).getByLabelText('Text of cell [1]'));
    const editor = await within(cell).findByRole('textbox', { name: 'Text of cell [1]' });
    expect(languages.get('Text of cell [1]')).toBe('markdown');
    fireEvent.change(editor, { target: { value: '## Sub' } });
    fireEvent.blur(editor);
    await waitFor(() => expect(within(cell).getByRole('heading', { level: 2 }).textContent).toBe('Sub'));
    expect(within(cell).queryByRole('textbox')).toBeNull();
    await waitFor(() =>
      expect(requests.filter((request) => request.method === 'PUT')).toEqual([
        expect.objectContaining({ path: '/api/notebooks/nb1/cells/md', body: { code: '## Sub', revision: 0 } }),
      ]),
    );

    // Shift+Enter closes the editor too, and sends nothing to the kernel.
    fireEvent.click(within(cell).getByLabelText('Text of cell [1]'));
    fireEvent.keyDown(await within(cell).findByRole('textbox'), { key: 'Enter', shiftKey: true });
    await waitFor(() => expect(within(cell).queryByRole('textbox')).toBeNull());
    expect(FakeWebSocket.latest.sent).toEqual([]);
  });

  it('follows a link in the rendered text instead of opening the editor', async () => {
    open();
    const cell = await screen.findByRole('article', { name: 'Cell [1]' });
    const stay = (event: Event) => event.preventDefault(); // jsdom cannot navigate
    document.addEventListener('click', stay);
    try {
      fireEvent.click(within(cell).getByRole('link', { name: 'docs' }));
    } finally {
      document.removeEventListener('click', stay);
    }
    expect(within(cell).queryByRole('textbox')).toBeNull();
  });

  it('is added from the "+ Markdown" button between cells', async () => {
    const { requests } = open();
    await screen.findByRole('article', { name: 'Cell [1]' });
    const [first] = screen.getAllByRole('button', { name: '+ Markdown' });
    if (first) fireEvent.click(first);
    await waitFor(() =>
      expect(requests.filter((request) => request.method === 'POST')).toEqual([
        expect.objectContaining({ path: '/api/notebooks/nb1/cells', body: { type: 'markdown', after_cell_id: 'md' } }),
      ]),
    );
  });
});
