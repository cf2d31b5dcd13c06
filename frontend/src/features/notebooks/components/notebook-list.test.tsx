import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { NotebooksRoute } from '../../../app/routes/notebooks';
import { json } from '../../../testing/fake-api';
import type { AuthSession } from '../../../lib/auth';
import { authWith, renderApp } from '../../../testing/render';
import type { NotebookSummary } from '../api/notebooks';

const summary = (id: string, name: string): NotebookSummary => ({
  id,
  name,
  created_at: '2025-01-01T00:00:00Z',
  updated_at: new Date(Date.now() - 3 * 60_000).toISOString(),
  cell_count: 2,
  db_connection_set: false,
  kernel_size: 'small',
  role: 'owner',
  owner: null,
});

const SIGNED_IN: AuthSession = {
  mode: 'oidc',
  user: { id: 'alice@example.com', name: 'Alice', email: null, groups: [], admin: false },
  csrf_token: 'c',
  login_url: '/l',
};

function openList(notebooks: NotebookSummary[], extra: Parameters<typeof renderApp>[2] = {}, auth = authWith()) {
  return renderApp(
    [
      { path: '/', element: <NotebooksRoute /> },
      { path: '/notebooks/:id', element: <p>notebook page</p> },
    ],
    '/',
    {
      'GET /api/notebooks': () => json({ notebooks }),
      ...extra,
    },
    auth,
  );
}

describe('the notebook list', () => {
  it('lists notebooks with their size and age, linking to each', async () => {
    openList([summary('n1', 'Sales'), summary('n2', 'Churn')]);
    const link = await screen.findByRole('link', { name: 'Sales' });
    expect(link.getAttribute('href')).toBe('/notebooks/n1');
    expect(link.closest('li')?.textContent).toContain('2 cells · updated 3 minutes ago');
    expect(screen.getAllByRole('listitem')).toHaveLength(2);
  });

  it("shows each notebook's role and, when shared, its owner; only what the role allows", async () => {
    openList([
      summary('n1', 'Mine'),
      { ...summary('n2', 'Shared to edit'), role: 'editor', owner: 'carol@example.com' },
      { ...summary('n3', 'Shared to read'), role: 'viewer', owner: 'carol@example.com' },
    ], {}, authWith(SIGNED_IN));
    const row = async (name: string) => (await screen.findByRole('link', { name })).closest('li') as HTMLElement;
    const mine = await row('Mine');
    expect(mine.querySelector('.notebook-role')?.textContent).toBe('Owner');
    expect(mine.querySelector('.notebook-owner')).toBeNull();
    expect(within(mine).getAllByRole('button').map((button) => button.textContent)).toEqual(['Rename', 'Delete']);
    const edited = await row('Shared to edit');
    expect(edited.querySelector('.notebook-role')?.textContent).toBe('Editor');
    expect(edited.querySelector('.notebook-owner')?.textContent).toBe('by carol@example.com');
    expect(within(edited).getAllByRole('button').map((button) => button.textContent)).toEqual(['Rename']);
    const read = await row('Shared to read');
    expect(read.querySelector('.notebook-role')?.textContent).toBe('Viewer');
    expect(within(read).queryAllByRole('button')).toEqual([]);
  });

  it('shows no roles without sign-in, where everyone owns everything', async () => {
    openList([summary('n1', 'Mine')]);
    const row = (await screen.findByRole('link', { name: 'Mine' })).closest('li') as HTMLElement;
    expect(row.querySelector('.notebook-role')).toBeNull();
  });

  it('creates a notebook with the given name and opens it', async () => {
    const { requests, router } = openList([], { 'POST /api/notebooks': () => json({ notebook_id: 'fresh' }, 201) });
    await screen.findByText(/No notebooks yet/);
    fireEvent.change(screen.getByLabelText('New notebook name'), { target: { value: '  Q3 plan ' } });
    fireEvent.click(screen.getByRole('button', { name: 'New notebook' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/notebooks/fresh'));
    expect(requests.at(-1)).toMatchObject({ method: 'POST', body: { name: 'Q3 plan' } });
  });

  it('renames and deletes (after confirming), then reloads the list', async () => {
    let notebooks = [summary('n1', 'Sales')];
    const { requests } = openList([], {
      'GET /api/notebooks': () => json({ notebooks }),
      'PUT /api/notebooks/:notebook_id/name': (_params, body) => {
        notebooks = notebooks.map((notebook) => ({ ...notebook, name: (body as { name: string }).name }));
        return json(notebooks[0]);
      },
      'DELETE /api/notebooks/:notebook_id': () => {
        notebooks = [];
        return new Response(null, { status: 204 });
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    fireEvent.change(screen.getByLabelText('New name for Sales'), { target: { value: 'Revenue' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await screen.findByRole('link', { name: 'Revenue' });

    fireEvent.click(screen.getByRole('button', { name: 'Delete' }));
    const confirm = screen.getByRole('group', { name: 'Delete Revenue?' });
    expect(requests.some((request) => request.method === 'DELETE')).toBe(false);
    fireEvent.click(within(confirm).getByRole('button', { name: 'Yes, delete' }));
    await screen.findByText(/No notebooks yet/);
    expect(requests.filter((request) => request.method !== 'GET').map((request) => `${request.method} ${request.path}`)).toEqual([
      'PUT /api/notebooks/n1/name',
      'DELETE /api/notebooks/n1',
    ]);
  });

  it('shows why a rename was refused', async () => {
    openList([summary('n1', 'Sales')], {
      'PUT /api/notebooks/:notebook_id/name': () => json({ detail: [{ loc: ['body', 'name'], msg: 'String should have at most 200 characters' }] }, 422),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Rename' }));
    fireEvent.change(screen.getByLabelText('New name for Sales'), { target: { value: 'x'.repeat(10) } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('name: String should have at most 200 characters');
  });

  it('asks for the access token on 401, keeps it, and loads the list with it', async () => {
    const { requests, auth } = openList([], {
      'GET /api/notebooks': () => (requests.at(-1)?.authorization === 'Bearer right' ? json({ notebooks: [summary('n1', 'Secret')] }) : json({ detail: 'missing or wrong access token' }, 401)),
    });
    const dialog = await screen.findByRole('dialog', { name: 'Access token' });
    expect(dialog.textContent).toContain('needs an access token');
    fireEvent.change(within(dialog).getByLabelText('Token'), { target: { value: 'right' } });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Save token' }));
    await screen.findByRole('link', { name: 'Secret' });
    expect(screen.queryByRole('dialog')).toBeNull();
    expect(auth.token).toBe('right');
  });

  it('offers to retry when the list cannot be loaded', async () => {
    let up = false;
    openList([], {
      'GET /api/notebooks': () => (up ? json({ notebooks: [summary('n1', 'Back')] }) : json({ detail: 'the backend is unreachable' }, 502)),
    });
    expect((await screen.findByRole('alert')).textContent).toContain('the backend is unreachable');
    up = true;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    await screen.findByRole('link', { name: 'Back' });
  });
});
