import { ConfigurationError, formatDuration } from '@notebook-ship/action-kit';
import type { Schema } from '@notebook-ship/api-schema';
import { WebSocket } from 'undici';
import { Cancelled } from './abort';

/** The notebook protocol as the backend defines it (generated); a frame is taken as one once its `type` is a string. */
export type ServerMessage = Schema<'ServerMessage'>;
export type ClientMessage = Schema<'ClientMessage'>;

const isMessage = (value: unknown): value is ServerMessage =>
  typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';

/** Engine events are numbered without gaps after each snapshot; a gap means lost messages. */
export class SeqTracker {
  private last: number | undefined;

  /** A problem with this message's place in the stream, or undefined. */
  accept(message: ServerMessage): string | undefined {
    if (message.type === 'snapshot') {
      // A server of another version may break the contract: check what the gap detection relies on.
      const seq: unknown = message.notebook?.seq;
      if (typeof seq !== 'number') return 'the snapshot has no seq';
      this.last = seq;
      return undefined;
    }
    if (!('seq' in message) || typeof message.seq !== 'number') return undefined;
    const previous = this.last;
    this.last = message.seq;
    if (previous === undefined) return `a ${message.type} message (seq ${message.seq}) arrived before the snapshot`;
    if (message.seq !== previous + 1) {
      return `the messages jumped from seq ${previous} to ${message.seq}: ${message.seq - previous - 1} engine events were lost on the way`;
    }
    return undefined;
  }

  get lastSeq(): number | undefined {
    return this.last;
  }
}

/** Why a connection closed, with what usually causes that code. */
export function describeClose(code: number, reason: string): string {
  const why = reason ? `, "${reason}"` : '';
  switch (code) {
    case 1006:
      return `the connection dropped without a close frame (1006): a proxy or the load balancer cut it, or the task restarted`;
    case 1001:
      return `the server is going away (1001${why}): the task is shutting down — a deployment still in progress?`;
    case 1011:
      return `the server closed it with an internal error (1011${why}): see the task's logs`;
    case 4401:
      return `the server refused the access token (4401${why})`;
    case 4404:
      return `the notebook was deleted (4404${why})`;
    default:
      return `the server closed it with code ${code}${why}`;
  }
}

/** One notebook WebSocket: every message kept in order, checked for seq gaps and refusals as it arrives. */
export class Session {
  readonly received: ServerMessage[] = [];
  private cursor = 0;
  private readonly seq = new SeqTracker();
  private problem: string | undefined;
  private closed: { code: number; reason: string } | undefined;
  private wake: (() => void) | undefined;

  private constructor(
    private readonly socket: WebSocket,
    private readonly signal: AbortSignal,
  ) {
    socket.addEventListener('message', (event) => {
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        message = undefined;
      }
      if (!isMessage(message)) {
        this.problem ??= `the server sent a frame that is not a protocol message: ${String(event.data).slice(0, 80)}`;
        return this.notify();
      }
      this.received.push(message);
      if (message.type === 'error') this.problem ??= `the server refused a message: ${JSON.stringify(message).slice(0, 300)}`;
      this.problem ??= this.seq.accept(message);
      this.notify();
    });
    socket.addEventListener('close', (event) => {
      this.closed = { code: event.code, reason: event.reason };
      this.notify();
    });
    signal.addEventListener('abort', () => this.notify(), { once: true });
  }

  /** Resolves once open; rejects with `HandshakeFailed` when the server (or the edge) refused the upgrade. */
  static open(url: URL, protocols: string[], timeoutMs: number, signal: AbortSignal): Promise<Session> {
    const socket = new WebSocket(url, protocols);
    const session = new Session(socket, signal);
    return new Promise((resolve, reject) => {
      let settled = false;
      const settle = (error?: Error) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
        if (!error) return resolve(session);
        socket.close();
        reject(error);
      };
      const onAbort = () => settle(new Cancelled());
      const timer = setTimeout(() => settle(new ConfigurationError(`no WebSocket handshake within ${formatDuration(timeoutMs)}`)), timeoutMs);
      signal.addEventListener('abort', onAbort, { once: true });
      socket.addEventListener('open', () => settle());
      // undici reports a refused handshake with `error` alone (no `close`), so both end the wait.
      socket.addEventListener('error', () => settle(new HandshakeFailed()));
      socket.addEventListener('close', () => settle(new HandshakeFailed()));
    });
  }

  get protocol(): string {
    return this.socket.protocol;
  }

  get lastSeq(): number | undefined {
    return this.seq.lastSeq;
  }

  /** How many messages were received so far: a mark to look back from. */
  get mark(): number {
    return this.received.length;
  }

  send(message: ClientMessage): void {
    this.socket.send(JSON.stringify(message));
  }

  /**
   * The next message (after those already consumed) for which `matches` is true. `matches` may throw to fail at
   * once (a cell failed that had to succeed). Fails on a seq gap, a refused message, a close, or the timeout.
   */
  async waitFor<Wanted extends ServerMessage>(
    description: string,
    matches: (message: ServerMessage) => message is Wanted,
    timeoutMs: number,
  ): Promise<Wanted>;
  async waitFor(description: string, matches: (message: ServerMessage) => boolean, timeoutMs: number): Promise<ServerMessage>;
  async waitFor(description: string, matches: (message: ServerMessage) => boolean, timeoutMs: number): Promise<ServerMessage> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      while (this.cursor < this.received.length) {
        const message = this.received[this.cursor++] as ServerMessage;
        if (matches(message)) return message;
      }
      if (this.problem) throw new ConfigurationError(`While waiting for ${description}: ${this.problem}.`);
      if (this.closed) {
        throw new ConfigurationError(`While waiting for ${description}: ${describeClose(this.closed.code, this.closed.reason)}.`);
      }
      if (this.signal.aborted) throw new Cancelled();
      const remaining = deadline - Date.now();
      if (remaining <= 0) {
        const recent = this.received.slice(-5).map((message) => message.type).join(', ') || 'none';
        throw new ConfigurationError(
          `No ${description} within ${formatDuration(timeoutMs)} (${this.received.length} messages received, the last: ${recent}).`,
        );
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, remaining);
        this.wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  /** Closes normally and waits for the server's close (briefly). */
  async close(): Promise<void> {
    if (this.closed) return;
    const closed = new Promise<void>((resolve) => this.socket.addEventListener('close', () => resolve(), { once: true }));
    this.socket.close(1000, 'smoke test done');
    let timer: NodeJS.Timeout | undefined;
    await Promise.race([closed, new Promise((resolve) => (timer = setTimeout(resolve, 2_000)))]);
    clearTimeout(timer);
  }

  private notify(): void {
    const wake = this.wake;
    this.wake = undefined;
    wake?.();
  }
}

/** The upgrade was refused; the caller probes the handshake to learn why. */
export class HandshakeFailed extends Error {
  override name = 'HandshakeFailed';
}
