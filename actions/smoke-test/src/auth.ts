import { ConfigurationError } from '@notebook-ship/action-kit';
import { probeHandshake } from './handshake';
import type { Answer } from './http';
import { explainAnswer, REQUEST_TIMEOUT_MS, type Service } from './service';
import { webSocketTarget } from './websocket';

export interface AuthOutcome {
  detail: string;
  /** Passed, but worth a warning: the service is open to anyone. */
  warning?: string;
}

/**
 * The `auth` check. With a token: requests without it or with a wrong one are refused (401), and so is the
 * WebSocket. Without one: the service must answer without one (or every other check fails for that reason).
 */
export async function checkAuth(service: Service, notebookId: string | undefined, signal: AbortSignal): Promise<AuthOutcome> {
  const anonymous = await service.send('GET', 'api/notebooks', 'none');
  if (!service.tokenGiven) {
    if (anonymous.status !== 200 || anonymous.contentType !== 'application/json') {
      throw new ConfigurationError(explainAnswer('GET', anonymous, false));
    }
    return {
      detail: 'no access-token given, and the API answers without one',
      warning:
        'The notebook API answers without an access token: anyone who can reach it can run code on the task. Set ' +
        'ACCESS_TOKEN on the service (from a secret) and pass it here as access-token.',
    };
  }
  const refused: string[] = [];
  const expectRefused = (what: string, status: number, answer?: Answer) => {
    if (status === 401) return refused.push(what);
    if (answer && (answer.contentType === 'text/html' || status >= 500)) throw new ConfigurationError(explainAnswer('GET', answer, true));
    if (status >= 200 && status < 300) {
      throw new ConfigurationError(
        `${what} was accepted (HTTP ${status}): the service does not enforce ACCESS_TOKEN, so anyone who can reach it ` +
          'can run code on the task. Set ACCESS_TOKEN in the task definition (from a secret) to the access-token value.',
      );
    }
    throw new ConfigurationError(`${what}: expected 401, got HTTP ${status}.`);
  };
  expectRefused('GET /api/notebooks without a token', anonymous.status, anonymous);
  const wrong = await service.send('GET', 'api/notebooks', 'wrong');
  expectRefused('GET /api/notebooks with a wrong token', wrong.status, wrong);
  if (notebookId) {
    const { url, path } = webSocketTarget(service.base, notebookId, '');
    const answer = await probeHandshake(url, { 'sec-websocket-protocol': 'notebook' }, REQUEST_TIMEOUT_MS, signal);
    const what = `the WebSocket ${path} without a token`;
    // Servers without HTTP denial accept the upgrade and close at once with 4401.
    if (answer.status === 101 && answer.closeCode === 4401) refused.push(what);
    else expectRefused(what, answer.status === 101 ? 200 : answer.status);
  }
  return { detail: `refused with 401: ${refused.join('; ')}` };
}
