import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { KernelsRoute } from '../../../app/routes/kernels';
import { json } from '../../../testing/fake-api';
import { renderApp } from '../../../testing/render';
import type { KernelInfo } from '../api/kernels';
import { bytes, duration } from './kernels-panel';

const kernel = (notebookId: string, name: string, overrides: Partial<KernelInfo> = {}): KernelInfo => ({
  notebook_id: notebookId,
  notebook_name: name,
  pid: 4321,
  state: 'ready',
  memory_bytes: 150 * 1024 * 1024,
  age_seconds: 3725,
  idle_seconds: 42,
  clients: 1,
  ...overrides,
});

function openPanel(routes: Parameters<typeof renderApp>[2]) {
  return renderApp(
    [
      { path: '/kernels', element: <KernelsRoute /> },
      { path: '/notebooks/:id', element: <p>notebook page</p> },
    ],
    '/kernels',
    routes,
  );
}

describe('the kernels panel', () => {
  it('lists each running kernel with its notebook, process, memory, age, idle time and clients', async () => {
    openPanel({ 'GET /api/kernels': () => json({ kernels: [kernel('n1', 'Sales'), kernel('n2', 'Churn', { pid: null, state: 'starting', memory_bytes: null, age_seconds: null, clients: 0 })] }) });
    const link = await screen.findByRole('link', { name: 'Sales' });
    expect(link.getAttribute('href')).toBe('/notebooks/n1');
    const rows = screen.getAllByRole('row').map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent));
    expect(rows.slice(1)).toEqual([
      ['Sales', 'running', '4321', '150 MB', '1 h 2 min', '42 s', '1', 'Stop'],
      ['Churn', 'starting', '—', 'unknown', '—', '42 s', '0', 'Stop'],
    ]);
  });

  it('stops a kernel and shows the list without it', async () => {
    let kernels = [kernel('n1', 'Sales')];
    const { requests } = openPanel({
      'GET /api/kernels': () => json({ kernels }),
      'DELETE /api/kernels/:notebook_id': () => {
        kernels = [];
        return new Response(null, { status: 204 });
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Stop the kernel of Sales' }));
    await screen.findByText(/No kernel is running/);
    expect(requests.filter((request) => request.method === 'DELETE').map((request) => request.path)).toEqual(['/api/kernels/n1']);
  });

  it('says why a stop failed and keeps the row', async () => {
    openPanel({
      'GET /api/kernels': () => json({ kernels: [kernel('n1', 'Sales')] }),
      'DELETE /api/kernels/:notebook_id': () => json({ detail: 'no notebook with id n1' }, 404),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Stop the kernel of Sales' }));
    const row = screen.getByRole('link', { name: 'Sales' }).closest('tr');
    if (!row) throw new Error('the kernel has no row');
    await waitFor(() => expect(within(row).getByRole('alert').textContent).toContain('no notebook with id n1'));
    expect(within(row).getByRole('button', { name: 'Stop the kernel of Sales' })).toHaveProperty('disabled', false);
  });

  it('says when no kernel runs, and when the list cannot be loaded', async () => {
    openPanel({ 'GET /api/kernels': () => json({ detail: 'storage down' }, 503) });
    expect((await screen.findByRole('alert')).textContent).toContain('Could not load the kernels: storage down');
  });
});

describe('kernel figures', () => {
  it('reads as people say them', () => {
    expect([bytes(null), bytes(80 * 1024 * 1024), bytes(1.5 * 1024 ** 3)]).toEqual(['unknown', '80 MB', '1.5 GB']);
    expect([duration(null), duration(59.9), duration(60), duration(7260)]).toEqual(['—', '59 s', '1 min', '2 h 1 min']);
  });
});
