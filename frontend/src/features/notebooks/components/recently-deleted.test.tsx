import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NotebooksRoute } from '../../../app/routes/notebooks';
import { json } from '../../../testing/fake-api';
import { renderApp } from '../../../testing/render';
import type { DeletedNotebook, NotebookSummary } from '../api/notebooks';

const summary = (id: string, name: string): NotebookSummary => ({
  id,
  name,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: new Date().toISOString(),
  cell_count: 1,
  db_connection_set: false,
  kernel_size: 'small',
  role: 'owner',
  owner: null,
});

describe('recently deleted notebooks', () => {
  it('lists them under the notebooks and restores one back into the list', async () => {
    let notebooks: NotebookSummary[] = [summary('n1', 'Sales')];
    let deleted: DeletedNotebook[] = [
      { id: 'gone', name: 'Churn', deleted_at: new Date(Date.now() - 5 * 60_000).toISOString() },
    ];
    const { requests } = renderApp([{ path: '/', element: <NotebooksRoute /> }], '/', {
      'GET /api/notebooks': () => json({ notebooks }),
      'GET /api/notebooks/deleted': () => json({ notebooks: deleted }),
      'POST /api/notebooks/:notebook_id/undelete': () => {
        notebooks = [summary('gone', 'Churn'), ...notebooks];
        deleted = [];
        return json({});
      },
    });
    const section = await screen.findByRole('region', { name: 'Recently deleted' });
    expect(within(section).getByText('Churn').closest('li')?.textContent).toContain('deleted 5 minutes ago');

    fireEvent.click(within(section).getByRole('button', { name: 'Restore Churn' }));
    await screen.findByRole('link', { name: 'Churn' });
    expect(requests.some((request) => request.method === 'POST' && request.path === '/api/notebooks/gone/undelete')).toBe(true);
    await waitFor(() => expect(screen.queryByRole('region', { name: 'Recently deleted' })).toBeNull());
  });

  it('says why a restore failed', async () => {
    renderApp([{ path: '/', element: <NotebooksRoute /> }], '/', {
      'GET /api/notebooks': () => json({ notebooks: [] }),
      'GET /api/notebooks/deleted': () =>
        json({ notebooks: [{ id: 'old', name: 'Old', deleted_at: new Date().toISOString() }] }),
      'POST /api/notebooks/:notebook_id/undelete': () => json({ detail: "no notebook with id 'old'" }, 404),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Restore Old' }));
    expect(await screen.findByText(/Could not restore the notebook: no notebook with id 'old'/)).toBeTruthy();
  });
});
