import { randomBytes } from 'node:crypto';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { Duplex } from 'node:stream';
import { formatDuration } from '@notebook-ship/action-kit';
import { Cancelled } from './abort';
import { NoAnswer, networkReason } from './http';

export interface HandshakeAnswer {
  /** 101 when the connection was upgraded. */
  status: number;
  contentType: string;
  body: string;
  /** An upgraded connection the server closed at once (servers without HTTP denial close with 4401/4403/4404). */
  closeCode?: number;
}

const FIRST_FRAME_WAIT_MS = 2_000;

/**
 * A raw WebSocket handshake, to learn what a WebSocket client hides: the HTTP status of a refusal, or whether an
 * accepted connection is closed at once. `url` is ws:// or wss://.
 */
export function probeHandshake(url: URL, headers: Record<string, string>, timeoutMs: number, signal: AbortSignal): Promise<HandshakeAnswer> {
  const target = new URL(url);
  target.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(target, {
      headers: {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': randomBytes(16).toString('base64'),
        ...headers,
      },
      signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
    });
    req.on('upgrade', (_response: IncomingMessage, socket: Duplex, head: Buffer) => {
      const finish = (frame: Buffer) => {
        clearTimeout(timer);
        socket.destroy();
        resolve({ status: 101, contentType: '', body: '', closeCode: closeCodeOf(frame) });
      };
      const timer = setTimeout(() => finish(Buffer.alloc(0)), FIRST_FRAME_WAIT_MS);
      if (head.length) finish(head);
      else socket.once('data', finish);
      socket.on('error', () => finish(Buffer.alloc(0)));
    });
    req.on('response', (response) => {
      let body = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => (body = (body + chunk).slice(0, 2_000)));
      response.on('end', () =>
        resolve({
          status: response.statusCode ?? 0,
          contentType: (response.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase() ?? '',
          body: body.replace(/\s+/g, ' ').trim(),
        }),
      );
    });
    req.on('error', (error) => {
      if (signal.aborted) reject(new Cancelled());
      else if (error.name === 'AbortError') reject(new NoAnswer(`${target.origin}${target.pathname}: no answer within ${formatDuration(timeoutMs)}`));
      else reject(new NoAnswer(`${target.origin}${target.pathname}: ${networkReason({ cause: error })}`));
    });
    req.end();
  });
}

/** The status code of a close frame (server frames are unmasked), or undefined for any other frame. */
export function closeCodeOf(frame: Buffer): number | undefined {
  const opcode = (frame[0] ?? 0) & 0x0f;
  const length = (frame[1] ?? 0) & 0x7f;
  return opcode === 0x8 && length >= 2 && frame.length >= 4 ? frame.readUInt16BE(2) : undefined;
}

/**
 * Why the handshake failed, in terms of what to fix. `path` is the WebSocket path (never with a token);
 * `notebookFound` is what the REST API says of the notebook, asked when the handshake got a 404.
 */
export function explainHandshake(path: string, answer: HandshakeAnswer, tokenGiven: boolean, notebookFound?: boolean): string {
  const body = answer.body ? ` (${answer.body.slice(0, 160)})` : '';
  const what = `The WebSocket handshake to ${path}`;
  if (answer.status === 101) {
    return `${what} was accepted, then closed at once with code ${answer.closeCode ?? 'unknown'}.`;
  }
  if (answer.status === 401) {
    // The notebook was created with the same token, so the service does accept it.
    return tokenGiven
      ? `${what} was refused with 401${body}, although the REST API accepts the same token: the token did not reach ` +
          'the WebSocket endpoint. Something in front of the app refused the upgrade and passed a plain request on ' +
          '(which needs an Authorization header), or dropped the Sec-WebSocket-Protocol header that carries the ' +
          `token (bearer.<token>). ${CHECK_EDGE}`
      : `${what} was refused with 401${body}: the service requires an access token — set the access-token input to its ACCESS_TOKEN.`;
  }
  if (answer.contentType === 'text/html' && answer.status < 300) {
    return `${path} returned text/html: is /api/* routed to the ALB in CloudFront? (HTTP ${answer.status} instead of a WebSocket upgrade)`;
  }
  if (answer.status === 403 && APP_ORIGIN_REFUSAL.test(answer.body)) {
    return `${what} was refused with 403${body}: without ACCESS_TOKEN the service only accepts WebSockets from its own origin or ALLOWED_ORIGINS.`;
  }
  if (answer.status === 404 && notebookFound === false) {
    return `${what} was refused with 404${body}: the notebook is gone (the REST API does not find it either).`;
  }
  // The service answers a WebSocket path it gets without the Upgrade headers with a plain 404.
  const found =
    answer.status !== 404
      ? ':'
      : notebookFound
        ? ', although the REST API finds the notebook:'
        : ', and the REST API could not say whether the notebook exists: if it does,';
  return (
    `${what} was refused with HTTP ${answer.status}${body}${found} the WebSocket upgrade was refused by something in ` +
    `front of the app (the edge, the load balancer, a proxy or a WAF rule), not by the service. ${CHECK_EDGE}`
  );
}

const CHECK_EDGE =
  "Check that CloudFront's /api/* behaviour forwards the WebSocket headers to the ALB (origin request policy " +
  'AllViewerExceptHostHeader) and that nothing on the way drops Upgrade, Connection or Sec-WebSocket-Protocol.';

/** The service's own 403 to a WebSocket from a foreign origin names the setting that allows it. */
const APP_ORIGIN_REFUSAL = /ALLOWED_ORIGINS/;
