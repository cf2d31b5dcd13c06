// The HTTP server on 127.0.0.1: the sign-in page and its answer here, every other route is oidc-provider's.
import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type Provider from 'oidc-provider';
import { errors } from 'oidc-provider';
import { demoUser } from './demo-users';
import { signInPage } from './pages';
import { createProvider, type LocalOidcClient } from './provider';

export interface LocalOidcOptions {
  /** 0 (the default) takes a free port. */
  port?: number;
  clients: LocalOidcClient[];
}

export interface LocalOidc {
  /** http://127.0.0.1:<port>; discovery at <issuer>/.well-known/openid-configuration */
  issuer: string;
  close(): Promise<void>;
}

const INTERACTION = /^\/interaction\/([\w-]+)(\/login)?$/;

async function formBody(req: IncomingMessage): Promise<URLSearchParams> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

function reply(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(body);
}

async function interaction(provider: Provider, req: IncomingMessage, res: ServerResponse, login: boolean) {
  const details = await provider.interactionDetails(req, res);
  const clientId = String(details.params['client_id']);
  if (!login) {
    if (req.method !== 'GET') return reply(res, 405, 'text/plain', 'method not allowed');
    return reply(res, 200, 'text/html', signInPage(details.uid, clientId));
  }
  if (req.method !== 'POST') return reply(res, 405, 'text/plain', 'method not allowed');
  const user = demoUser((await formBody(req)).get('account') ?? '');
  if (!user) return reply(res, 400, 'text/plain', 'unknown demo user');
  // Everything the client asked for is granted: the demo users consent by choosing to sign in.
  const grant = new provider.Grant({ accountId: user.sub, clientId });
  grant.addOIDCScope(String(details.params['scope']));
  const grantId = await grant.save();
  await provider.interactionFinished(
    req,
    res,
    { login: { accountId: user.sub }, consent: { grantId } },
    { mergeWithLastSubmission: false },
  );
}

export async function startLocalOidc(options: LocalOidcOptions): Promise<LocalOidc> {
  let provider: Provider | undefined;
  let providerRoutes: ReturnType<Provider['callback']> | undefined;
  const server = createServer((req, res) => {
    if (!provider || !providerRoutes) return reply(res, 503, 'text/plain', 'starting');
    const match = INTERACTION.exec(new URL(req.url ?? '/', provider.issuer).pathname);
    if (!match) return void providerRoutes(req, res);
    interaction(provider, req, res, match[2] !== undefined).catch((error: unknown) => {
      // An expired or unknown interaction: the person starts again from the app.
      const expected = error instanceof errors.SessionNotFound;
      if (!res.headersSent) reply(res, expected ? 400 : 500, 'text/plain', String(error));
    });
  });
  server.listen(options.port ?? 0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  try {
    provider = await createProvider(`http://127.0.0.1:${port}`, options.clients);
    providerRoutes = provider.callback();
  } catch (error) {
    server.close();
    throw error;
  }
  return {
    issuer: provider.issuer,
    close: async () => {
      const closed = once(server, 'close');
      server.close();
      server.closeAllConnections();
      await closed;
    },
  };
}
