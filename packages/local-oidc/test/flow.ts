// The relying party's side of the code flow, as a client library does it, with the demo client every test uses.
import { randomBytes } from 'node:crypto';
import { Browser, formOf, pkcePair } from './browser';

export const CLIENT = {
  clientId: 'notebook',
  clientSecret: 'a-local-secret-long-enough-for-hs256-0123456789',
  redirectUris: ['http://127.0.0.1:8000/api/auth/callback'],
  postLogoutRedirectUris: ['http://127.0.0.1:8000/'],
};
export const REDIRECT_URI = CLIENT.redirectUris[0] as string;

export interface Discovery {
  issuer: string;
  authorization_endpoint: string;
  token_endpoint: string;
  userinfo_endpoint: string;
  jwks_uri: string;
  end_session_endpoint: string;
  [key: string]: unknown;
}

export async function discover(issuer: string): Promise<Discovery> {
  const response = await fetch(`${issuer}/.well-known/openid-configuration`);
  return (await response.json()) as Discovery;
}

export interface Authorization {
  browser: Browser;
  nonce: string;
  verifier: string;
  /** The callback URL the provider sent the browser to. */
  callback: URL;
  /** The sign-in page, as the browser showed it. */
  page: string;
}

export function authorizeUrl(discovery: Discovery, params: Record<string, string>): string {
  const url = new URL(discovery.authorization_endpoint);
  for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
  return url.href;
}

/** From the authorization request to the callback: the person clicks the button of the demo user `account`. */
export async function signIn(discovery: Discovery, account: string, browser = new Browser()): Promise<Authorization> {
  const { verifier, challenge } = pkcePair();
  const nonce = randomBytes(16).toString('base64url');
  const url = authorizeUrl(discovery, {
    client_id: CLIENT.clientId,
    response_type: 'code',
    redirect_uri: REDIRECT_URI,
    scope: 'openid profile email',
    state: 'the-state',
    nonce,
    code_challenge: challenge,
    code_challenge_method: 'S256',
  });
  const shown = await browser.follow(url, REDIRECT_URI);
  if (!shown.response) throw new Error(`no sign-in page: sent to ${shown.url}`);
  const page = await shown.response.text();
  const { action } = formOf(page, shown.url);
  let done = await browser.postForm(action, { account }, REDIRECT_URI);
  // Switching people, oidc-provider ends the last one's session first, with a form its page's script submits.
  while (done.response) {
    const html = await done.response.text();
    if (!html.includes('document.forms[0].submit()')) throw new Error(`no callback: ${done.response.status} ${html}`);
    const form = formOf(html, done.url);
    done = await browser.postForm(form.action, form.hidden, REDIRECT_URI);
  }
  return { browser, nonce, verifier, callback: new URL(done.url), page };
}

export async function exchange(
  discovery: Discovery,
  code: string,
  verifier: string,
  secret = CLIENT.clientSecret,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(discovery.token_endpoint, {
    method: 'POST',
    headers: {
      authorization: `Basic ${Buffer.from(`${CLIENT.clientId}:${secret}`).toString('base64')}`,
      'content-type': 'application/x-www-form-urlencoded',
    },
    body: new URLSearchParams({
      grant_type: 'authorization_code',
      code,
      redirect_uri: REDIRECT_URI,
      code_verifier: verifier,
    }).toString(),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}
