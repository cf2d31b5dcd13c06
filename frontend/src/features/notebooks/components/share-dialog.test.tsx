import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { json } from '../../../testing/fake-api';
import { authWith, renderApp } from '../../../testing/render';
import { ShareDialog, withShare } from './share-dialog';

const ACCESS = {
  owner: 'alice@example.com',
  shares: [
    { kind: 'user', name: 'bob@example.com', role: 'editor' },
    { kind: 'group', name: 'data-team', role: 'viewer' },
  ],
};

function openDialog(routes: Parameters<typeof renderApp>[2] = {}) {
  const onClose = vi.fn();
  const app = renderApp(
    [{ path: '/', element: <ShareDialog notebookId="n1" onClose={onClose} /> }],
    '/',
    {
      'GET /api/notebooks/:notebook_id/access': () => json(ACCESS),
      'PUT /api/notebooks/:notebook_id/access': (_params, body) => json({ owner: ACCESS.owner, ...(body as object) }),
      ...routes,
    },
    authWith({ mode: 'oidc', user: { id: 'alice@example.com', name: 'Alice', email: null, groups: [], admin: false }, csrf_token: 'c1', login_url: '/x' }),
  );
  return { ...app, onClose };
}

describe('the Share dialog', () => {
  it('shows the owner and the current shares', async () => {
    openDialog();
    const dialog = await screen.findByRole('dialog', { name: 'Share' });
    expect(await within(dialog).findByText('alice@example.com')).toBeTruthy();
    const shares = within(dialog).getByRole('list', { name: 'Shared with' });
    expect(within(shares).getAllByRole('listitem').map((item) => item.querySelector('.share-name')?.textContent)).toEqual([
      'bob@example.com',
      'data-team',
    ]);
    expect((within(shares).getByRole('combobox', { name: 'Role of bob@example.com' }) as HTMLSelectElement).value).toBe('editor');
  });

  it('removes one, changes a role, adds a person and a group, and saves them all with the CSRF token', async () => {
    const { requests, onClose } = openDialog();
    fireEvent.click(await screen.findByRole('button', { name: 'Remove bob@example.com' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Role of data-team' }), { target: { value: 'editor' } });
    fireEvent.change(screen.getByRole('textbox', { name: 'E-mail' }), { target: { value: ' carol@example.com ' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    fireEvent.change(screen.getByRole('combobox', { name: 'Share with' }), { target: { value: 'group' } });
    fireEvent.change(screen.getByRole('combobox', { name: 'Role' }), { target: { value: 'editor' } });
    // Typed but not added: Save takes it too.
    fireEvent.change(screen.getByRole('textbox', { name: 'Group name' }), { target: { value: 'admins' } });
    fireEvent.click(screen.getByRole('button', { name: 'Save' }));
    await waitFor(() => expect(onClose).toHaveBeenCalled());
    expect(requests.at(-1)).toEqual({
      method: 'PUT',
      path: '/api/notebooks/n1/access',
      authorization: null,
      csrf: 'c1',
      body: {
        shares: [
          { kind: 'group', name: 'data-team', role: 'editor' },
          { kind: 'user', name: 'carol@example.com', role: 'viewer' },
          { kind: 'group', name: 'admins', role: 'editor' },
        ],
      },
    });
  });

  it("shows the server's reason when saving fails, and stays open", async () => {
    const { onClose } = openDialog({
      'PUT /api/notebooks/:notebook_id/access': () => json({ detail: 'only the owner or an admin may share this notebook' }, 403),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Save' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Not saved: only the owner or an admin may share this notebook');
    expect(onClose).not.toHaveBeenCalled();
  });

  it('refuses a person without an e-mail address before asking the server', async () => {
    const { requests } = openDialog();
    fireEvent.change(await screen.findByRole('textbox', { name: 'E-mail' }), { target: { value: 'bob' } });
    fireEvent.click(screen.getByRole('button', { name: 'Add' }));
    expect(screen.getByRole('alert').textContent).toMatch(/e-mail address/);
    expect(requests.filter((request) => request.method === 'PUT')).toEqual([]);
  });

  it('shows why the shares cannot be read', async () => {
    openDialog({ 'GET /api/notebooks/:notebook_id/access': () => json({ detail: 'sharing needs the owner role' }, 403) });
    expect((await screen.findByRole('alert')).textContent).toBe('Could not read who has access: sharing needs the owner role');
    expect((screen.getByRole('button', { name: 'Save' }) as HTMLButtonElement).disabled).toBe(true);
  });
});

describe('withShare', () => {
  it('adds a share, or changes the role of the same person or group', () => {
    const bob = { kind: 'user', name: 'bob@example.com', role: 'viewer' } as const;
    expect(withShare([], bob)).toEqual([bob]);
    expect(withShare([bob], { ...bob, name: 'Bob@Example.com', role: 'editor' })).toEqual([{ ...bob, name: 'Bob@Example.com', role: 'editor' }]);
    expect(withShare([bob], { kind: 'group', name: 'bob@example.com', role: 'editor' })).toHaveLength(2);
  });
});
