// The provider as the backend meets it: authlib's Starlette client, in the backend's virtualenv.
import { afterAll, beforeAll, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { startLocalOidc, type LocalOidc } from '../src/index';
import { CLIENT } from './flow';

const PYTHON = fileURLToPath(new URL('../../../backend/.venv/bin/python', import.meta.url));
const SCRIPT = fileURLToPath(new URL('./authlib_sign_in.py', import.meta.url));

let oidc: LocalOidc;

beforeAll(async () => {
  oidc = await startLocalOidc({ clients: [CLIENT] });
});

afterAll(async () => {
  await oidc.close();
});

async function authlibSignIn(button: string, secret = CLIENT.clientSecret) {
  const { stdout } = await promisify(execFile)(PYTHON, [SCRIPT, oidc.issuer, CLIENT.clientId, secret, button]);
  return JSON.parse(stdout) as { id_token: Record<string, unknown>; userinfo: Record<string, unknown>; signed_out: boolean };
}

it('signs Bob in and out with authlib, which checks the ID token, its nonce and the sign-out state', async () => {
  const bob = { sub: 'bob', email: 'bob@example.com', email_verified: true, name: 'Bob Example', groups: ['data-team'] };
  const result = await authlibSignIn('Sign in as Bob Example');
  expect(result.id_token).toMatchObject({ ...bob, iss: oidc.issuer, aud: CLIENT.clientId });
  expect(result.userinfo).toEqual(bob);
  expect(result.signed_out).toBe(true);
});

it('fails in authlib with the wrong client secret', async () => {
  await expect(authlibSignIn('Sign in as Alice Example', 'wrong')).rejects.toThrow(/invalid_client/);
});
