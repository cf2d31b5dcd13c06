// oidc-provider configured as a small identity provider: confidential clients, the authorization code flow with
// PKCE (S256) always required, and the demo users' e-mail, name and groups in the ID token.
import { randomBytes } from 'node:crypto';
import { exportJWK, generateKeyPair } from 'jose';
import Provider, { interactionPolicy, type Configuration, type JWK } from 'oidc-provider';
import { demoUser } from './demo-users';
import { errorPage, signedOutPage, signOutPage } from './pages';

export interface LocalOidcClient {
  clientId: string;
  clientSecret: string;
  redirectUris: string[];
  postLogoutRedirectUris?: string[];
}

async function signingKey(): Promise<JWK> {
  const { privateKey } = await generateKeyPair('RS256', { extractable: true });
  return { ...(await exportJWK(privateKey)), alg: 'RS256', use: 'sig', kid: randomBytes(8).toString('hex') };
}

// The sign-in page comes up on every authorization request, even with a live session: people switch between the
// demo users by signing in again.
function choosingPolicy(): interactionPolicy.DefaultPolicy {
  const { Check, base } = interactionPolicy;
  const policy = base();
  policy.get('login')?.checks.add(
    new Check('choose_user', 'a demo user is chosen on every sign-in', (ctx) =>
      ctx.oidc.result?.['login'] ? Check.NO_NEED_TO_PROMPT : Check.REQUEST_PROMPT,
    ),
  );
  return policy;
}

export async function createProvider(issuer: string, clients: LocalOidcClient[]): Promise<Provider> {
  const configuration: Configuration = {
    clients: clients.map((client) => ({
      client_id: client.clientId,
      client_secret: client.clientSecret,
      redirect_uris: client.redirectUris,
      post_logout_redirect_uris: client.postLogoutRedirectUris ?? [],
      grant_types: ['authorization_code'],
      response_types: ['code'],
      // oidc-provider takes client_secret_post from a client registered for client_secret_basic too.
      token_endpoint_auth_method: 'client_secret_basic',
    })),
    jwks: { keys: [await signingKey()] },
    cookies: { keys: [randomBytes(32).toString('base64url')] },
    scopes: ['openid', 'profile', 'email', 'groups'],
    claims: {
      openid: ['sub'],
      email: ['email', 'email_verified'],
      profile: ['name', 'groups'],
      groups: ['groups'],
    },
    // The claims go into the ID token as well as userinfo: clients such as authlib read the person from the ID token.
    conformIdTokenClaims: false,
    pkce: { required: () => true },
    // A working day's session, as the notebook app's own (SESSION_HOURS); codes and interactions are short-lived.
    ttl: {
      AuthorizationCode: 60,
      Interaction: 10 * 60,
      AccessToken: 60 * 60,
      IdToken: 60 * 60,
      Session: 12 * 60 * 60,
      Grant: 12 * 60 * 60,
    },
    findAccount: (_ctx, sub) => {
      const user = demoUser(sub);
      if (!user) return undefined;
      return {
        accountId: user.sub,
        claims: () => ({
          sub: user.sub,
          email: user.email,
          email_verified: true,
          name: user.name,
          groups: [...user.groups],
        }),
      };
    },
    interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}`, policy: choosingPolicy() },
    features: {
      devInteractions: { enabled: false },
      rpInitiatedLogout: {
        enabled: true,
        logoutSource: (ctx, form) => {
          ctx.type = 'html';
          ctx.body = signOutPage(form);
        },
        postLogoutSuccessSource: (ctx) => {
          ctx.type = 'html';
          ctx.body = signedOutPage();
        },
      },
    },
    renderError: (ctx, out) => {
      ctx.type = 'html';
      ctx.body = errorPage(out.error, out.error_description);
    },
  };
  return new Provider(issuer, configuration);
}
