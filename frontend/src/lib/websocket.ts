// A WebSocket that reconnects with exponential backoff and jitter, so a fleet of browsers does not reconnect in
// lock-step after a deploy. Messages sent while the socket was down are lost: the notebook server starts every
// connection with a snapshot, which is how the page re-syncs.

export type ConnectionStatus = 'connecting' | 'open' | 'reconnecting' | 'closed';

export interface ConnectionState {
  status: ConnectionStatus;
  /** Failed attempts since the socket was last open. */
  attempt: number;
  /** When the next attempt starts (epoch ms), while reconnecting. */
  retryAt: number | null;
  /** Set when the socket stopped for good (closed by the caller, or by a terminal close code). */
  reason: string | null;
}

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  random: () => number;
}

/** The reason of a socket the page closed itself; it never reconnects. */
export const CLOSED_BY_PAGE = 'closed by the page';

export const DEFAULT_BACKOFF: BackoffOptions = { initialMs: 500, maxMs: 15_000, random: Math.random };

/** Delay before attempt `attempt` (1-based): exponential, capped, with jitter in [50%, 100%]. */
export function backoffDelay(attempt: number, { initialMs, maxMs, random }: BackoffOptions): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt - 1));
  return Math.round(ceiling * (0.5 + random() / 2));
}

export interface CloseInfo {
  code: number;
  reason: string;
}

export interface ReconnectingSocketOptions {
  /** Called for every attempt, so a new token or URL applies to the next one. */
  target: () => { url: string; protocols: string[] };
  onMessage: (message: unknown) => void;
  onState?: (state: ConnectionState) => void;
  /** Return a reason to stop reconnecting (e.g. the token was refused); undefined retries. */
  isTerminal?: (close: CloseInfo) => string | undefined;
  backoff?: Partial<BackoffOptions>;
  WebSocketImpl?: typeof WebSocket;
  timers?: { setTimeout: typeof setTimeout; clearTimeout: typeof clearTimeout; now: () => number };
}

export class ReconnectingSocket {
  private socket: WebSocket | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private everOpened = false;
  private closedByPage = false;
  private state: ConnectionState = { status: 'connecting', attempt: 0, retryAt: null, reason: null };
  private readonly backoff: BackoffOptions;
  private readonly WebSocketImpl: typeof WebSocket;
  private readonly timers: NonNullable<ReconnectingSocketOptions['timers']>;

  constructor(private readonly options: ReconnectingSocketOptions) {
    this.backoff = { ...DEFAULT_BACKOFF, ...options.backoff };
    this.WebSocketImpl = options.WebSocketImpl ?? globalThis.WebSocket;
    this.timers = options.timers ?? {
      setTimeout: globalThis.setTimeout.bind(globalThis),
      clearTimeout: globalThis.clearTimeout.bind(globalThis),
      now: Date.now,
    };
    this.connect();
  }

  get connection(): ConnectionState {
    return this.state;
  }

  /** Sends a JSON message; false when the socket is not open (nothing is queued: stale commands must not replay). */
  send(message: unknown): boolean {
    if (this.socket?.readyState !== this.WebSocketImpl.OPEN) return false;
    this.socket.send(JSON.stringify(message));
    return true;
  }

  /** Skips the remaining backoff (the browser came back online); restarts a socket stopped by a terminal close. */
  reconnectNow(): void {
    if (this.closedByPage || this.socket) return;
    this.clearTimer();
    this.connect();
  }

  /** A fresh connection even when open: the credentials changed. */
  restart(): void {
    if (this.closedByPage) return;
    this.clearTimer();
    this.detach()?.close(1000, 'restart');
    this.connect();
  }

  close(): void {
    this.closedByPage = true;
    this.clearTimer();
    this.detach()?.close(1000, CLOSED_BY_PAGE);
    this.setState({ status: 'closed', retryAt: null, reason: CLOSED_BY_PAGE });
  }

  private connect(): void {
    const { url, protocols } = this.options.target();
    this.setState({ status: this.everOpened || this.state.attempt > 0 ? 'reconnecting' : 'connecting', retryAt: null, reason: null });
    let socket: WebSocket;
    try {
      socket = new this.WebSocketImpl(url, protocols);
    } catch (error) {
      // A malformed URL or protocol never gets better by retrying.
      this.setState({ status: 'closed', retryAt: null, reason: error instanceof Error ? error.message : String(error) });
      return;
    }
    this.socket = socket;
    socket.onopen = () => {
      this.everOpened = true;
      this.setState({ status: 'open', attempt: 0, retryAt: null, reason: null });
    };
    socket.onmessage = (event: MessageEvent) => {
      let message: unknown;
      try {
        message = JSON.parse(String(event.data));
      } catch {
        console.warn('ignored a WebSocket frame that is not JSON', event.data);
        return;
      }
      this.options.onMessage(message);
    };
    socket.onclose = (event: CloseEvent) => {
      if (this.socket !== socket) return;
      this.socket = null;
      const terminal = this.options.isTerminal?.({ code: event.code, reason: event.reason });
      if (terminal) this.setState({ status: 'closed', retryAt: null, reason: terminal });
      else this.scheduleRetry();
    };
    // An error is always followed by a close event, which is where retries are decided.
    socket.onerror = () => undefined;
  }

  private scheduleRetry(): void {
    const attempt = this.state.attempt + 1;
    const delay = backoffDelay(attempt, this.backoff);
    this.setState({ status: 'reconnecting', attempt, retryAt: this.timers.now() + delay, reason: null });
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      this.connect();
    }, delay);
  }

  private detach(): WebSocket | null {
    const socket = this.socket;
    this.socket = null;
    if (socket) socket.onopen = socket.onmessage = socket.onclose = socket.onerror = null;
    return socket;
  }

  private clearTimer(): void {
    if (this.timer !== null) this.timers.clearTimeout(this.timer);
    this.timer = null;
  }

  private setState(change: Partial<ConnectionState>): void {
    this.state = { ...this.state, ...change };
    this.options.onState?.(this.state);
  }
}
