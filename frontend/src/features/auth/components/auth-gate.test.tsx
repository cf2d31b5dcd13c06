import { act, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { Layout } from '../../../app/routes/layout';
import { AuthStore } from '../../../lib/auth';
import { json } from '../../../testing/fake-api';
import { authWith, renderApp } from '../../../testing/render';
import { signInUrl } from '../api/auth';
import { SignInScreen } from './sign-in-screen';
import { UserMenu } from './user-menu';

const ALICE = { id: 'alice@example.com', name: 'Alice Example', email: 'alice@example.com', groups: ['admins'], admin: true };
const BOB = { id: 'bob@example.com', name: 'Bob Example', email: 'bob@example.com', groups: [], admin: false };
const signedIn = (user = ALICE) => ({ mode: 'oidc', user, csrf_token: 'csrf-1', login_url: '/api/auth/login' }) as const;

const page = [
  {
    element: <Layout />,
    children: [{ path: '/notebooks/:id', element: <p>the notebook</p> }],
  },
];

describe('the sign-in gate', () => {
  it('asks the server who is signed in before showing anything, then shows the app with the user menu', async () => {
    const { requests } = renderApp(page, '/notebooks/n1', { 'GET /api/auth/session': () => json(signedIn()) }, new AuthStore(null));
    expect(screen.getByText('Loading…')).toBeTruthy();
    expect(await screen.findByText('the notebook')).toBeTruthy();
    expect(requests.map((request) => request.path)).toEqual(['/api/auth/session']);
    expect(screen.getByRole('button', { name: 'Account: Alice Example' }).textContent).toBe('AE');
  });

  it('shows the sign-in screen, and not the app, when sign-in is on and nobody is signed in', async () => {
    renderApp(page, '/notebooks/n1', { 'GET /api/auth/session': () => json({ ...signedIn(), user: null, csrf_token: null }) }, new AuthStore(null));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeTruthy();
    expect(screen.queryByText('the notebook')).toBeNull();
    expect(screen.queryByRole('dialog')).toBeNull(); // no token prompt with sign-in
  });

  it('shows the sign-in screen again when a call answers 401 (the session ended), saying edits are kept', async () => {
    const auth = authWith(signedIn());
    renderApp(page, '/notebooks/n1', {}, auth);
    expect(await screen.findByText('the notebook')).toBeTruthy();
    auth.unauthorized();
    expect(await screen.findByRole('heading', { name: 'Your session has ended' })).toBeTruthy();
    expect(screen.getByText(/kept in this browser/)).toBeTruthy();
    expect(screen.queryByText('the notebook')).toBeNull();
  });

  it('keeps the token prompt of a server with an access token, and of one from before sign-in (no session route)', async () => {
    const auth = new AuthStore(null);
    renderApp(page, '/notebooks/n1', {}, auth); // the fake answers 404
    expect(await screen.findByText('the notebook')).toBeTruthy();
    auth.unauthorized();
    expect(await screen.findByRole('dialog', { name: 'Access token' })).toBeTruthy();
    expect(screen.queryByRole('button', { name: /Account/ })).toBeNull();
  });

  it('asks again who the caller is once a token is entered', async () => {
    const auth = new AuthStore(null);
    const service = { id: 'service', name: 'Access token', email: null, groups: [], admin: false };
    renderApp(
      page,
      '/notebooks/n1',
      { 'GET /api/auth/session': () => json({ mode: 'token', user: auth.token ? service : null, csrf_token: null, login_url: null }) },
      auth,
    );
    expect(await screen.findByText('the notebook')).toBeTruthy();
    expect(auth.getSnapshot().session?.user).toBeNull();
    act(() => auth.setToken('t0ken'));
    await waitFor(() => expect(auth.getSnapshot().session?.user?.id).toBe('service'));
  });

  it('says so, with Try again, when the server cannot be reached', async () => {
    let down = true;
    renderApp(
      page,
      '/notebooks/n1',
      { 'GET /api/auth/session': () => (down ? json({ detail: 'starting' }, 503) : json(signedIn())) },
      new AuthStore(null),
    );
    expect((await screen.findByRole('alert')).textContent).toContain('starting');
    down = false;
    fireEvent.click(screen.getByRole('button', { name: 'Try again' }));
    expect(await screen.findByText('the notebook')).toBeTruthy();
  });
});

describe('the sign-in screen', () => {
  it('sends the browser to the login URL with this page as where to come back', () => {
    const go = vi.fn();
    window.history.replaceState(null, '', '/notebooks/n1?x=1');
    render(<SignInScreen loginUrl="/api/auth/login" expired={false} go={go} />);
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(go).toHaveBeenCalledWith('/api/auth/login?next=%2Fnotebooks%2Fn1%3Fx%3D1');
  });

  it('builds the URL for a relative or absolute login URL', () => {
    expect(signInUrl('/api/auth/login', '/', 'https://app.test/x')).toBe('/api/auth/login?next=%2F');
    expect(signInUrl('https://api.test/api/auth/login', '/notebooks/a b', 'https://app.test/')).toBe(
      'https://api.test/api/auth/login?next=%2Fnotebooks%2Fa+b',
    );
  });
});

describe('the user menu', () => {
  it('shows the name and e-mail, links admins to the audit log, and signs out with the CSRF token, then reloads', async () => {
    const reload = vi.fn();
    const { requests } = renderApp(
      [{ path: '/', element: <UserMenu user={ALICE} reload={reload} /> }],
      '/',
      { 'POST /api/auth/logout': () => new Response(null, { status: 204 }) },
      authWith(signedIn()),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Account: Alice Example' }));
    const panel = screen.getByRole('group', { name: 'Account' });
    expect(within(panel).getByText('Alice Example')).toBeTruthy();
    expect(within(panel).getByText('alice@example.com')).toBeTruthy();
    expect(within(panel).getByRole('link', { name: 'Audit log' }).getAttribute('href')).toBe('/audit');
    fireEvent.click(within(panel).getByRole('button', { name: 'Sign out' }));
    await waitFor(() => expect(reload).toHaveBeenCalled());
    expect(requests).toEqual([expect.objectContaining({ method: 'POST', path: '/api/auth/logout', csrf: 'csrf-1' })]);
  });

  it('has no audit log link for someone who is not an admin, and shows a failed sign-out', async () => {
    const reload = vi.fn();
    renderApp(
      [{ path: '/', element: <UserMenu user={BOB} reload={reload} /> }],
      '/',
      { 'POST /api/auth/logout': () => json({ detail: 'the origin is not allowed' }, 403) },
      authWith(signedIn(BOB)),
    );
    fireEvent.click(screen.getByRole('button', { name: 'Account: Bob Example' }));
    expect(screen.queryByRole('link', { name: 'Audit log' })).toBeNull();
    fireEvent.click(screen.getByRole('button', { name: 'Sign out' }));
    expect((await screen.findByRole('alert')).textContent).toBe('Could not sign out: the origin is not allowed');
    expect(reload).not.toHaveBeenCalled();
  });
});
