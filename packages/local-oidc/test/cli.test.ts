import { expect, it } from '@jest/globals';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const BIN = fileURLToPath(new URL('../bin/local-oidc.mjs', import.meta.url));

it('runs the provider from the command line with the given client until it is stopped', async () => {
  const child = spawn(process.execPath, [BIN, '--port', '0', '--client-id', 'app', '--client-secret', 'shh'], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  try {
    let out = '';
    child.stdout.setEncoding('utf8');
    for await (const chunk of child.stdout) {
      out += String(chunk);
      if (out.includes('OIDC_CLIENT_SECRET')) break;
    }
    expect(out).toContain('Alice Example <alice@example.com> groups: data-team, admins');
    const issuer = /OIDC_ISSUER=(\S+) OIDC_CLIENT_ID=app OIDC_CLIENT_SECRET=shh/.exec(out)?.[1];
    const discovery = (await (await fetch(`${issuer}/.well-known/openid-configuration`)).json()) as { issuer: string };
    expect(discovery.issuer).toBe(issuer);
  } finally {
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    expect(await exited).toEqual([0, null]);
  }
});

it('refuses a port that is not one', async () => {
  const child = spawn(process.execPath, [BIN, '--port', 'x'], { stdio: ['ignore', 'ignore', 'pipe'] });
  let err = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => (err += chunk));
  expect(await once(child, 'exit')).toEqual([1, null]);
  expect(err).toContain('--port: not a port: x');
});
