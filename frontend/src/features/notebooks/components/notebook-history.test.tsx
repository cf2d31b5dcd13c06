import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json } from '../../../testing/fake-api';
import { makeCell } from '../../../testing/fixtures';
import { renderApp } from '../../../testing/render';
import type { VersionDocument, VersionSummary } from '../api/notebooks';
import { NotebookHistory } from './notebook-history';

const versions: VersionSummary[] = [
  { version_id: 'v3', saved_at: '2026-01-02T10:00:00Z', deleted: false, name: 'Sales', cell_count: 2 },
  { version_id: 'v2', saved_at: '2026-01-02T09:00:00Z', deleted: true, name: null, cell_count: null },
  { version_id: 'v1', saved_at: '2026-01-02T08:00:00Z', deleted: false, name: 'Sales', cell_count: 2 },
];
const older: VersionDocument = {
  version_id: 'v1',
  name: 'Sales',
  cells: [
    { id: 'a', type: 'python', code: 'x = 1\ny = 2', output_name: null },
    { id: 'b', type: 'python', code: 'print(x)', output_name: null },
  ],
};
const current = [makeCell({ id: 'a', code: 'x = 10\ny = 2' }), makeCell({ id: 'c', code: 'z = 3' })];

function openHistory(routes: Parameters<typeof renderApp>[2] = {}, canRestore = true) {
  const onClose = vi.fn();
  const app = renderApp(
    [{ path: '/', element: <NotebookHistory notebookId="n1" current={current} canRestore={canRestore} onClose={onClose} /> }],
    '/',
    {
      'GET /api/notebooks/:notebook_id/versions': () => json({ versions, next_cursor: null }),
      'GET /api/notebooks/:notebook_id/versions/:version_id': () => json(older),
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
    openHistory();
    fireEvent.click(await oldestVersion());
    const changed = await screen.findByRole('listitem', { name: 'Cell a' });
    expect(changed.querySelector('.line-removed')?.textContent).toBe('- x = 10\n');
    expect(changed.querySelector('.line-added')?.textContent).toBe('+ x = 1\n');
    expect(changed.textContent).toContain('  y = 2');
    expect(screen.getByRole('listitem', { name: 'Cell b' }).textContent).toContain('restoring adds it');
    expect(screen.getByRole('listitem', { name: 'Cell c' }).textContent).toContain('restoring removes it');
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
