import { ConfigurationError } from '@notebook-ship/action-kit';

const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);
const HOST = /^[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?(?::\d{1,5})?$/;

/**
 * The API origin for a `hostname` input: HCP Terraform or Terraform Enterprise are always reached over https.
 * Plain http is accepted only for a loopback address (a scripted test server), so no setting can send the token
 * in clear text over a network.
 */
export function resolveOrigin(hostname: string): string {
  const value = hostname.trim().replace(/\/+$/, '');
  if (/^http:\/\//i.test(value)) {
    if (!isLoopbackUrl(value) || parse(value).pathname !== '/') {
      throw new ConfigurationError(
        `Input "hostname" must be a host name such as app.terraform.io (reached over https); got "${hostname}". ` +
          'Plain http is accepted only for a loopback test server (http://127.0.0.1:PORT).',
      );
    }
    return parse(value).origin;
  }
  if (/^https:\/\//i.test(value)) {
    const url = parse(value);
    if (url.pathname !== '/' || url.search) {
      throw new ConfigurationError(`Input "hostname" must not contain a path; got "${hostname}".`);
    }
    return url.origin;
  }
  if (!HOST.test(value)) {
    throw new ConfigurationError(
      `Input "hostname" must be a host name such as app.terraform.io or tfe.example.com; got "${hostname}".`,
    );
  }
  return `https://${value.toLowerCase()}`;
}

function parse(value: string): URL {
  try {
    return new URL(value);
  } catch {
    throw new ConfigurationError(`Input "hostname" is not a valid host or URL; got "${value}".`);
  }
}

/** A plain-http URL the action may use: one on this machine, which only a test server answers. */
export function isLoopbackUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  } catch {
    return false;
  }
}
