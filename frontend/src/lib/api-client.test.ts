import { describe, expect, it } from 'vitest';
import { fakeApi, json } from '../testing/fake-api';
import { ApiError, errorMessage } from './api-client';
import { AuthStore } from './auth';
import { notebooksApi } from '../features/notebooks/api/notebooks';

const ALICE = { id: 'alice@example.com', name: 'Alice Example', email: 'alice@example.com', groups: [], admin: false };

describe('the REST client', () => {
  it('sends the stored token as a bearer token', async () => {
    const auth = new AuthStore(null);
    auth.setToken('s3cret');
    const { api, requests } = fakeApi(auth, { 'GET /api/notebooks': () => json({ notebooks: [] }) });
    await notebooksApi(api).list();
    expect(requests).toEqual([{ method: 'GET', path: '/api/notebooks', authorization: 'Bearer s3cret', csrf: null, body: undefined }]);
  });

  it('sends no Authorization header without a token', async () => {
    const { api, requests } = fakeApi(new AuthStore(null), { 'GET /api/notebooks': () => json({ notebooks: [] }) });
    await notebooksApi(api).list();
    expect(requests[0]?.authorization).toBeNull();
  });

  it('asks for a token when the server answers 401, and throws', async () => {
    const auth = new AuthStore(null);
    const { api } = fakeApi(auth, { 'GET /api/notebooks': () => json({ detail: 'missing or wrong access token' }, 401) });
    await expect(notebooksApi(api).list()).rejects.toEqual(new ApiError(401, 'The access token is missing or wrong.'));
    expect(auth.getSnapshot().prompt).toMatch(/needs an access token/);
    expect(auth.getSnapshot().signInRequired).toBe(false);
  });

  it('with sign-in on, a 401 (the session ended) asks to sign in again instead of asking for a token', async () => {
    const auth = new AuthStore(null);
    auth.setSession({ mode: 'oidc', user: ALICE, csrf_token: 'c1', login_url: '/api/auth/login' });
    expect(auth.getSnapshot().signInRequired).toBe(false);
    const { api } = fakeApi(auth, { 'GET /api/notebooks': () => json({ detail: 'not signed in' }, 401) });
    await expect(notebooksApi(api).list()).rejects.toBeInstanceOf(ApiError);
    expect(auth.getSnapshot()).toMatchObject({ signInRequired: true, prompt: null });
  });

  it('sends the session’s CSRF token with every change, and never with a read', async () => {
    const auth = new AuthStore(null);
    auth.setSession({ mode: 'oidc', user: ALICE, csrf_token: 'c1', login_url: '/api/auth/login' });
    const { api, requests } = fakeApi(auth, {
      'GET /api/notebooks': () => json({ notebooks: [] }),
      'POST /api/notebooks': () => json({ notebook_id: 'n1' }, 201),
      'PUT /api/notebooks/:notebook_id/name': () => json({}),
      'DELETE /api/notebooks/:notebook_id': () => new Response(null, { status: 204 }),
    });
    const calls = notebooksApi(api);
    await calls.list();
    await calls.create('Sales');
    await calls.rename('n1', 'Q3');
    await calls.remove('n1');
    expect(requests.map(({ method, csrf }) => [method, csrf])).toEqual([
      ['GET', null],
      ['POST', 'c1'],
      ['PUT', 'c1'],
      ['DELETE', 'c1'],
    ]);
  });

  it('sends no CSRF header without sign-in', async () => {
    const auth = new AuthStore(null);
    auth.setSession({ mode: 'token', user: null, csrf_token: null, login_url: null });
    const { api, requests } = fakeApi(auth, { 'POST /api/notebooks': () => json({ notebook_id: 'n1' }, 201) });
    await notebooksApi(api).create();
    expect(requests[0]?.csrf).toBeNull();
  });

  it('builds typed requests for every notebook and cell call', async () => {
    const { api, requests } = fakeApi(new AuthStore(null), {
      'POST /api/notebooks': () => json({ notebook_id: 'n1' }, 201),
      'PUT /api/notebooks/:notebook_id/name': () => json({}),
      'PUT /api/notebooks/:notebook_id/db': () => json({ db_connection_set: true }),
      'DELETE /api/notebooks/:notebook_id': () => new Response(null, { status: 204 }),
      'DELETE /api/notebooks/:notebook_id/cells/:cell_id': () => new Response(null, { status: 204 }),
    });
    const calls = notebooksApi(api);
    expect(await calls.create('Sales')).toBe('n1');
    expect(await calls.create()).toBe('n1');
    await calls.rename('n 1', 'New name');
    await calls.setConnection('n1', 'postgresql://db');
    await calls.deleteCell('n1', 'c1');
    await calls.remove('n1');
    expect(requests.map(({ method, path, body }) => [method, path, body])).toEqual([
      ['POST', '/api/notebooks', { name: 'Sales' }],
      ['POST', '/api/notebooks', {}],
      ['PUT', '/api/notebooks/n%201/name', { name: 'New name' }],
      ['PUT', '/api/notebooks/n1/db', { connection_string: 'postgresql://db' }],
      ['DELETE', '/api/notebooks/n1/cells/c1', undefined],
      ['DELETE', '/api/notebooks/n1', undefined],
    ]);
  });
});

describe('errorMessage', () => {
  it('reads FastAPI details: a string, or the invalid fields', () => {
    expect(errorMessage(404, { detail: "no notebook with id 'x'" })).toBe("no notebook with id 'x'");
    expect(
      errorMessage(422, { detail: [{ loc: ['body', 'name'], msg: 'String should have at least 1 character' }, { loc: ['body'], msg: 'Field required' }] }),
    ).toBe('name: String should have at least 1 character; Field required');
  });

  it('explains bare statuses', () => {
    expect(errorMessage(413, null)).toMatch(/1 MiB/);
    expect(errorMessage(401, undefined)).toMatch(/access token/);
    expect(errorMessage(401, { detail: "send the server's ACCESS_TOKEN as `Authorization: Bearer <token>`" })).toBe(
      'The access token is missing or wrong.',
    );
    expect(errorMessage(502, 'Bad gateway')).toBe('The server answered 502.');
  });
});
