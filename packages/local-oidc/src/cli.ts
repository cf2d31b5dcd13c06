// `local-oidc`: the provider for a person to sign in to a local notebook app with.
import { parseArgs } from 'node:util';
import { DEMO_USERS } from './demo-users';
import { startLocalOidc } from './server';

const HELP = `Usage: local-oidc [options]
  --port <n>                       port on 127.0.0.1 (default 9400; 0 takes a free one)
  --client-id <id>                 (default notebook)
  --client-secret <secret>         (default local-oidc-secret)
  --redirect-uri <url>             repeatable (default the backend's and the Vite dev server's /api/auth/callback)
  --post-logout-redirect-uri <url> repeatable (default their /)
`;

const LOCAL_APPS = ['http://127.0.0.1:8000', 'http://127.0.0.1:5173'];

export async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string', default: '9400' },
      'client-id': { type: 'string', default: 'notebook' },
      'client-secret': { type: 'string', default: 'local-oidc-secret' },
      'redirect-uri': { type: 'string', multiple: true, default: LOCAL_APPS.map((app) => `${app}/api/auth/callback`) },
      'post-logout-redirect-uri': { type: 'string', multiple: true, default: LOCAL_APPS.map((app) => `${app}/`) },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(HELP);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port: not a port: ${values.port}`);
  const oidc = await startLocalOidc({
    port,
    clients: [
      {
        clientId: values['client-id'],
        clientSecret: values['client-secret'],
        redirectUris: values['redirect-uri'],
        postLogoutRedirectUris: values['post-logout-redirect-uri'],
      },
    ],
  });
  const people = DEMO_USERS.map((user) => `  ${user.name} <${user.email}> groups: ${user.groups.join(', ')}`);
  process.stdout.write(
    [
      `OpenID Connect provider at ${oidc.issuer}; the demo users:`,
      ...people,
      'For the backend:',
      `  OIDC_ISSUER=${oidc.issuer} OIDC_CLIENT_ID=${values['client-id']} OIDC_CLIENT_SECRET=${values['client-secret']}`,
      '',
    ].join('\n'),
  );
  const stop = () => void oidc.close().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
