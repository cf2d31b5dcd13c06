import { describe, expect, it, vi } from 'vitest';
import { AuthStore, webSocketCredentials } from './auth';

describe('AuthStore', () => {
  it('reads the stored token and keeps a new one in storage', () => {
    localStorage.setItem('notebook-ship.access-token', 'old');
    const store = new AuthStore(localStorage);
    expect(store.token).toBe('old');
    store.setToken('  new-token ');
    expect(store.token).toBe('new-token');
    expect(localStorage.getItem('notebook-ship.access-token')).toBe('new-token');
    expect(new AuthStore(localStorage).token).toBe('new-token');
  });

  it('prompts on 401 with a message that depends on whether a token was sent, and notifies once', () => {
    const store = new AuthStore(localStorage);
    const listener = vi.fn();
    store.subscribe(listener);
    store.requireToken();
    store.requireToken();
    expect(listener).toHaveBeenCalledTimes(1);
    expect(store.getSnapshot().prompt).toMatch(/needs an access token/);
    store.setToken('t');
    expect(store.getSnapshot()).toMatchObject({ prompt: null, token: 't', version: 1 });
    store.requireToken();
    expect(store.getSnapshot().prompt).toMatch(/was refused/);
  });

  it('clears the token', () => {
    const store = new AuthStore(localStorage);
    store.setToken('t');
    store.clearToken();
    expect(store.token).toBeNull();
    expect(localStorage.getItem('notebook-ship.access-token')).toBeNull();
  });

  it('works without storage (disabled in private mode)', () => {
    const throwing = {
      getItem: () => {
        throw new Error('denied');
      },
      setItem: () => {
        throw new Error('denied');
      },
      removeItem: () => {
        throw new Error('denied');
      },
    };
    const store = new AuthStore(throwing);
    expect(store.token).toBeNull();
    store.setToken('t');
    expect(store.token).toBe('t');
  });
});

describe('webSocketCredentials', () => {
  it('offers only the notebook protocol without a token', () => {
    expect(webSocketCredentials(null)).toEqual({ protocols: ['notebook'], query: '' });
  });

  it('sends the token as a bearer.<token> subprotocol', () => {
    expect(webSocketCredentials('abc-123_X')).toEqual({ protocols: ['notebook', 'bearer.abc-123_X'], query: '' });
  });

  it('falls back to the query parameter for a token that is not a valid subprotocol', () => {
    expect(webSocketCredentials('a/b=')).toEqual({ protocols: ['notebook'], query: '?token=a%2Fb%3D' });
  });
});
