import { ConfigurationError, integerInput, listInput, optionalInput, requiredInput, type Io } from '@notebook-ship/action-kit';
import { selectChecks, type CheckName } from './checks';

export interface SmokeConfig {
  /** The public base URL serving the SPA and /api (pathname ends with `/`, so paths resolve under it). */
  url: URL;
  /** Where /health, /api and the WebSocket are called; `url` unless set. */
  apiUrl: URL;
  /** Empty: any version is accepted. */
  expectedVersion: string;
  /** Empty: the service is expected to be open. */
  token: string;
  /** How long the service may take to become ready (and report `expectedVersion`). */
  timeoutMs: number;
  checks: CheckName[];
  /** Checks run only because a requested one needs them. */
  addedChecks: CheckName[];
}

export function readConfig(io: Pick<Io, 'secret'>): SmokeConfig {
  const token = optionalInput('access-token');
  // Masked first: whatever fails below must not print it.
  if (token) io.secret(token);
  const url = baseUrl('url', requiredInput('url'));
  const apiUrl = baseUrl('api-url', optionalInput('api-url', url.href));
  if (token) {
    for (const [name, value] of [['url', url], ['api-url', apiUrl]] as const) {
      if (value.protocol === 'http:' && !isLoopback(value.hostname)) {
        throw new ConfigurationError(
          `Input "${name}" is ${value.origin} (http://): the access token would travel in clear. Use the https:// ` +
            'address (the CloudFront URL); plain http is only allowed for a service on this machine.',
        );
      }
    }
  }
  const selection = selectChecks(listInput('checks', { commas: true }));
  const expectedVersion = optionalInput('expected-version');
  if (expectedVersion && !selection.checks.includes('ready')) {
    throw new ConfigurationError('Input "expected-version" is verified by the ready check: add "ready" to checks, or leave expected-version empty.');
  }
  return {
    url,
    apiUrl,
    expectedVersion,
    token,
    timeoutMs: integerInput('timeout-seconds', { fallback: 300, min: 1, max: 3600 }) * 1_000,
    checks: selection.checks,
    addedChecks: selection.added,
  };
}

function baseUrl(name: string, value: string): URL {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigurationError(`Input "${name}" must be an absolute URL such as https://d111111abcdef8.cloudfront.net; got "${value}".`);
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ConfigurationError(`Input "${name}" must start with https:// (or http:// for a local service); got "${value}".`);
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ConfigurationError(`Input "${name}" must be a base URL without credentials, query or fragment; got "${url.origin}${url.pathname}…".`);
  }
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

export function isLoopback(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}
