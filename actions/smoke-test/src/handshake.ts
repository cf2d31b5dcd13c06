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

/** Why the handshake failed, in terms of what to fix. `path` is the WebSocket path (never with a token). */
export function explainHandshake(path: string, answer: HandshakeAnswer, tokenGiven: boolean): string {
  const body = answer.body ? ` (${answer.body.slice(0, 160)})` : '';
  const what = `The WebSocket handshake to ${path}`;
  if (answer.status === 101) {
    return `${what} was accepted, then closed at once with code ${answer.closeCode ?? 'unknown'}.`;
  }
  if (answer.status === 401) {
    return tokenGiven
      ? `${what} was refused with 401${body}: the service did not accept the token (sent as the subprotocol bearer.<token>) — does access-token equal its ACCESS_TOKEN?`
      : `${what} was refused with 401${body}: the service requires an access token — set the access-token input to its ACCESS_TOKEN.`;
  }
  if (answer.contentType === 'text/html' && answer.status < 300) {
    return `${path} returned text/html: is /api/* routed to the ALB in CloudFront? (HTTP ${answer.status} instead of a WebSocket upgrade)`;
  }
  if (answer.status === 403) {
    return (
      `${what} was refused with 403${body}: without ACCESS_TOKEN the service only accepts WebSockets from its own origin ` +
      'or ALLOWED_ORIGINS; otherwise the load balancer or a WAF rule refused it.'
    );
  }
  if (answer.status === 404) return `${what} was refused with 404${body}: the notebook is gone, or /api/ws/* does not reach the service.`;
  return (
    `${what} was refused with HTTP ${answer.status}${body}: the edge did not pass the upgrade on — CloudFront's /api/* ` +
    'behaviour must forward the WebSocket headers to the ALB (origin request policy AllViewerExceptHostHeader).'
  );
}
