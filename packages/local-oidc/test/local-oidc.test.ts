import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createRemoteJWKSet, jwtVerify } from 'jose';
import { DEMO_USERS, startLocalOidc, type LocalOidc } from '../src/index';
import { formOf, pkcePair } from './browser';
import { authorizeUrl, CLIENT, discover, exchange, REDIRECT_URI, signIn, type Discovery } from './flow';

let oidc: LocalOidc;
let discovery: Discovery;

beforeAll(async () => {
  oidc = await startLocalOidc({ clients: [CLIENT] });
  discovery = await discover(oidc.issuer);
});

afterAll(async () => {
  await oidc.close();
});

async function tokens(account: string) {
  const signedIn = await signIn(discovery, account);
  const code = signedIn.callback.searchParams.get('code') ?? '';
  const { status, body } = await exchange(discovery, code, signedIn.verifier);
  expect(status).toBe(200);
  return { ...signedIn, code, body };
}

describe('discovery', () => {
  it('describes an OpenID provider on 127.0.0.1 with the code flow, PKCE S256 and RS256 ID tokens', () => {
    expect(oidc.issuer).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(discovery.issuer).toBe(oidc.issuer);
    for (const endpoint of ['authorization_endpoint', 'token_endpoint', 'userinfo_endpoint', 'jwks_uri', 'end_session_endpoint']) {
      expect(discovery[endpoint]).toMatch(new RegExp(`^${oidc.issuer}/`));
    }
    expect(discovery['response_types_supported']).toContain('code');
    expect(discovery['code_challenge_methods_supported']).toEqual(['S256']);
    expect(discovery['token_endpoint_auth_methods_supported']).toEqual(
      expect.arrayContaining(['client_secret_basic', 'client_secret_post']),
    );
    expect(discovery['id_token_signing_alg_values_supported']).toContain('RS256');
    expect(discovery['scopes_supported']).toEqual(expect.arrayContaining(['openid', 'profile', 'email', 'groups']));
    expect(discovery['claims_supported']).toEqual(expect.arrayContaining(['sub', 'email', 'name', 'groups']));
  });
});

describe('the code flow with PKCE', () => {
  it('shows one button per demo user and signs the chosen one in with a signed ID token', async () => {
    const { page, callback, nonce, body } = await tokens('alice');
    expect(page).toContain('>Sign in as Alice Example</button>');
    expect(page).toContain('>Sign in as Bob Example</button>');
    expect(page).not.toMatch(/type="password"/);
    expect(callback.searchParams.get('state')).toBe('the-state');
    expect(callback.searchParams.get('iss')).toBe(oidc.issuer);
    expect(body['token_type']).toBe('Bearer');

    const jwks = createRemoteJWKSet(new URL(discovery.jwks_uri));
    const { payload, protectedHeader } = await jwtVerify(String(body['id_token']), jwks, {
      issuer: oidc.issuer,
      audience: CLIENT.clientId,
    });
    expect(protectedHeader.alg).toBe('RS256');
    expect(payload).toMatchObject({
      sub: 'alice',
      nonce,
      email: 'alice@example.com',
      email_verified: true,
      name: 'Alice Example',
      groups: ['data-team', 'admins'],
    });
    expect(payload.exp).toBeGreaterThan(payload.iat ?? Infinity);
  });

  it('gives userinfo for the access token', async () => {
    const { body } = await tokens('bob');
    const response = await fetch(discovery.userinfo_endpoint, {
      headers: { authorization: `Bearer ${String(body['access_token'])}` },
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({
      sub: 'bob',
      email: 'bob@example.com',
      email_verified: true,
      name: 'Bob Example',
      groups: ['data-team'],
    });
  });

  it('takes the client secret in the body too (client_secret_post)', async () => {
    const { callback, verifier } = await signIn(discovery, 'bob');
    const response = await fetch(discovery.token_endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        code: callback.searchParams.get('code') ?? '',
        redirect_uri: REDIRECT_URI,
        code_verifier: verifier,
        client_id: CLIENT.clientId,
        client_secret: CLIENT.clientSecret,
      }).toString(),
    });
    expect(response.status).toBe(200);
  });

  it('asks again on every sign-in, so the same browser can switch people', async () => {
    const first = await signIn(discovery, 'alice');
    const second = await signIn(discovery, 'bob', first.browser);
    expect(second.page).toContain('>Sign in as Alice Example</button>');
    const { body } = await exchange(discovery, second.callback.searchParams.get('code') ?? '', second.verifier);
    const [, claims] = String(body['id_token']).split('.');
    expect(JSON.parse(Buffer.from(claims ?? '', 'base64url').toString())).toMatchObject({ sub: 'bob' });
  });
});

describe('refusals', () => {
  it('refuses a wrong PKCE verifier', async () => {
    const { callback } = await signIn(discovery, 'alice');
    const { status, body } = await exchange(discovery, callback.searchParams.get('code') ?? '', pkcePair().verifier);
    expect(status).toBe(400);
    expect(body['error']).toBe('invalid_grant');
  });

  it('refuses a code used twice', async () => {
    const { code, verifier } = await tokens('alice');
    const { status, body } = await exchange(discovery, code, verifier);
    expect(status).toBe(400);
    expect(body['error']).toBe('invalid_grant');
  });

  it('refuses a wrong client secret', async () => {
    const { callback, verifier } = await signIn(discovery, 'alice');
    const { status, body } = await exchange(discovery, callback.searchParams.get('code') ?? '', verifier, 'wrong');
    expect(status).toBe(401);
    expect(body['error']).toBe('invalid_client');
  });

  it('refuses an authorization request without PKCE', async () => {
    const response = await fetch(
      authorizeUrl(discovery, {
        client_id: CLIENT.clientId,
        response_type: 'code',
        redirect_uri: REDIRECT_URI,
        scope: 'openid',
        state: 's',
        nonce: 'n',
      }),
      { redirect: 'manual' },
    );
    const location = new URL(response.headers.get('location') ?? '');
    expect(location.href.startsWith(REDIRECT_URI)).toBe(true);
    expect(location.searchParams.get('error')).toBe('invalid_request');
  });

  it('does not redirect to an unregistered redirect_uri', async () => {
    const { challenge } = pkcePair();
    const response = await fetch(
      authorizeUrl(discovery, {
        client_id: CLIENT.clientId,
        response_type: 'code',
        redirect_uri: 'http://127.0.0.1:8000/elsewhere',
        scope: 'openid',
        state: 's',
        nonce: 'n',
        code_challenge: challenge,
        code_challenge_method: 'S256',
      }),
      { redirect: 'manual' },
    );
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
    expect(await response.text()).toContain('invalid_redirect_uri');
  });

  it('answers an expired or unknown sign-in with a 400', async () => {
    const response = await fetch(`${oidc.issuer}/interaction/unknown`);
    expect(response.status).toBe(400);
    expect(await response.text()).toMatch(/SessionNotFound/);
  });

  it('refuses an unknown demo user', async () => {
    await expect(signIn(discovery, 'mallory')).rejects.toThrow(/400 unknown demo user/);
  });
});

describe('sign-out', () => {
  it('ends the session and returns to the registered post_logout_redirect_uri with the state', async () => {
    const { body, browser } = await tokens('alice');
    const url = new URL(discovery.end_session_endpoint);
    url.searchParams.set('id_token_hint', String(body['id_token']));
    url.searchParams.set('post_logout_redirect_uri', 'http://127.0.0.1:8000/');
    url.searchParams.set('state', 'bye');
    const shown = await browser.follow(url.href, 'http://127.0.0.1:8000/');
    const page = await shown.response?.text();
    expect(page).toContain('>Sign out</button>');
    const { action, hidden } = formOf(page ?? '', shown.url);
    const done = await browser.postForm(action, { ...hidden, logout: 'yes' }, 'http://127.0.0.1:8000/');
    expect(done.url).toBe('http://127.0.0.1:8000/?state=bye');
  });

  it('refuses an unregistered post_logout_redirect_uri', async () => {
    const url = new URL(discovery.end_session_endpoint);
    url.searchParams.set('client_id', CLIENT.clientId);
    url.searchParams.set('post_logout_redirect_uri', 'http://127.0.0.1:8000/elsewhere');
    const response = await fetch(url, { redirect: 'manual' });
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('post_logout_redirect_uri not registered');
  });
});

it('names the demo users of the contract', () => {
  expect(DEMO_USERS.map(({ email, name, groups }) => ({ email, name, groups }))).toEqual([
    { email: 'alice@example.com', name: 'Alice Example', groups: ['data-team', 'admins'] },
    { email: 'bob@example.com', name: 'Bob Example', groups: ['data-team'] },
  ]);
});
