import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { type ReactElement, useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { json } from '../../../testing/fake-api';
import { makeCell } from '../../../testing/fixtures';
import { renderApp } from '../../../testing/render';
import type { VersionDiff, VersionSummary } from '../api/notebooks';
import { NotebookHistory } from './notebook-history';

const versions: VersionSummary[] = [
  { version_id: 'v3', saved_at: '2026-01-02T10:00:00Z', deleted: false, name: 'Sales', cell_count: 2 },
  { version_id: 'v2', saved_at: '2026-01-02T09:00:00Z', deleted: true, name: null, cell_count: null },
  { version_id: 'v1', saved_at: '2026-01-02T08:00:00Z', deleted: false, name: 'Sales', cell_count: 2 },
];
const cell = (id: string, code: string) => ({ id, type: 'python' as const, code, output_name: null });
// v1 against the notebook now: a changed, b only in v1, c only now.
const againstNow: VersionDiff = {
  version_id: 'v1',
  base_version_id: null,
  name: 'Sales',
  base_name: 'Sales',
  cells: [
    {
      id: 'a',
      change: 'changed',
      moved: false,
      base: cell('a', 'x = 10\ny = 2'),
      version: cell('a', 'x = 1\ny = 2'),
      lines: [
        { kind: 'removed', lines: ['x = 10'] },
        { kind: 'added', lines: ['x = 1'] },
        { kind: 'same', lines: ['y = 2'] },
      ],
    },
    { id: 'b', change: 'added', moved: false, base: null, version: cell('b', 'print(x)'), lines: [{ kind: 'added', lines: ['print(x)'] }] },
    { id: 'c', change: 'removed', moved: false, base: cell('c', 'z = 3'), version: null, lines: [{ kind: 'removed', lines: ['z = 3'] }] },
  ],
};
// v3 against v1, the version before it (v2 records a deletion): the notebook renamed, b moved.
const againstPrevious: VersionDiff = {
  version_id: 'v3',
  base_version_id: 'v1',
  name: 'Sales 2',
  base_name: 'Sales',
  cells: [
    { id: 'b', change: 'unchanged', moved: true, base: cell('b', 'print(x)'), version: cell('b', 'print(x)'), lines: [{ kind: 'same', lines: ['print(x)'] }] },
    { id: 'a', change: 'unchanged', moved: false, base: cell('a', 'x = 1'), version: cell('a', 'x = 1'), lines: [{ kind: 'same', lines: ['x = 1'] }] },
  ],
};
const current = [makeCell({ id: 'a', code: 'x = 10\ny = 2' }), makeCell({ id: 'c', code: 'z = 3' })];

function openHistory(routes: Parameters<typeof renderApp>[2] = {}, canRestore = true, element?: ReactElement) {
  const onClose = vi.fn();
  const app = renderApp(
    [{ path: '/', element: element ?? <NotebookHistory notebookId="n1" current={current} canRestore={canRestore} onClose={onClose} /> }],
    '/',
    {
      'GET /api/notebooks/:notebook_id/versions': () => json({ versions, next_cursor: null }),
      'GET /api/notebooks/:notebook_id/versions/:version_id/diff': (params, _body, url) =>
        url.searchParams.get('base') === 'v1' && params.version_id === 'v3' ? json(againstPrevious) : json(againstNow),
      ...routes,
    },
  );
  return { ...app, onClose };
}

async function oldestVersion(): Promise<HTMLElement> {
  const oldest = (await screen.findAllByRole('button', { name: /2 cells/ })).at(-1);
  if (!oldest) throw new Error('no version is listed');
  return oldest;
}

describe('a notebook history', () => {
  it('lists the versions with their cells, a deletion as such', async () => {
    openHistory();
    const list = await screen.findByRole('list', { name: 'Versions' });
    await waitFor(() => expect(within(list).getAllByRole('listitem')).toHaveLength(3));
    expect(within(list).getAllByRole('button').map((button) => button.textContent)).toEqual([
      expect.stringContaining('2 cells'),
      expect.stringContaining('2 cells'),
    ]);
    expect(list.textContent).toContain('Deleted');
  });

  it("shows a version's code with the lines that differ from the current cells", async () => {
    const { requests } = openHistory();
    fireEvent.click(await oldestVersion());
    const changed = await screen.findByRole('listitem', { name: 'Cell a' });
    expect(changed.querySelector('.line-removed')?.textContent).toBe('- x = 10\n');
    expect(changed.querySelector('.line-added')?.textContent).toBe('+ x = 1\n');
    expect(changed.textContent).toContain('  y = 2');
    expect(screen.getByRole('listitem', { name: 'Cell b' }).textContent).toContain('restoring adds it');
    expect(screen.getByRole('listitem', { name: 'Cell c' }).textContent).toContain('restoring removes it');
    expect(requests.at(-1)?.path).toBe('/api/notebooks/n1/versions/v1/diff');
    // The oldest version has none before it to compare with.
    expect(screen.getByRole('radio', { name: 'The version before it' })).toHaveProperty('disabled', true);
  });

  it('compares a version with the one saved before it, past a deletion', async () => {
    openHistory();
    const [newest] = await screen.findAllByRole('button', { name: /2 cells/ });
    if (!newest) throw new Error('no version is listed');
    fireEvent.click(newest);
    await screen.findByRole('listitem', { name: 'Cell a' });
    fireEvent.click(screen.getByRole('radio', { name: 'The version before it' }));
    const moved = await screen.findByText(/Moved in this version/);
    expect(moved.closest('li')?.getAttribute('aria-label')).toBe('Cell b');
    expect(screen.getByText(/Named “Sales 2” here, “Sales” in the version before/)).toBeTruthy();
  });

  it('compares the shown version again when the notebook changes', async () => {
    function Changing() {
      const [cells, setCells] = useState(current);
      return (
        <>
          <button type="button" onClick={() => setCells([...cells, makeCell({ id: 'd' })])}>
            Change the notebook
          </button>
          <NotebookHistory notebookId="n1" current={cells} canRestore onClose={() => {}} />
        </>
      );
    }
    const { requests } = openHistory({}, true, <Changing />);
    fireEvent.click(await oldestVersion());
    await screen.findByRole('listitem', { name: 'Cell a' });
    const diffs = () => requests.filter((request) => request.path.endsWith('/diff')).length;
    const before = diffs();
    fireEvent.click(screen.getByRole('button', { name: 'Change the notebook' }));
    await waitFor(() => expect(diffs()).toBe(before + 1));
  });

  it('restores a version only after confirming, then closes', async () => {
    const { requests, onClose } = openHistory({
      'POST /api/notebooks/:notebook_id/versions/:version_id/restore': () => json({}),
    });
    fireEvent.click(await oldestVersion());
    fireEvent.click(await screen.findByRole('button', { name: 'Restore this version' }));
    const confirm = screen.getByRole('group', { name: 'Restore this version?' });
    expect(requests.some((request) => request.method === 'POST')).toBe(false);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, restore' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(requests.at(-1)).toMatchObject({ method: 'POST', path: '/api/notebooks/n1/versions/v1/restore' });
  });

  it('lets a viewer read a version but not restore it', async () => {
    openHistory({}, false);
    fireEvent.click(await oldestVersion());
    expect(await screen.findByRole('listitem', { name: 'Cell a' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Restore this version' })).toBeNull();
  });
});
