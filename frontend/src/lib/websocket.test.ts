import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { FakeWebSocket, FakeWebSocketClass } from '../testing/fake-websocket';
import { backoffDelay, type ConnectionState, ReconnectingSocket, type ReconnectingSocketOptions } from './websocket';

beforeEach(() => {
  FakeWebSocket.reset();
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

function start(options: Partial<ReconnectingSocketOptions> = {}) {
  const states: ConnectionState[] = [];
  const messages: unknown[] = [];
  let token = 'one';
  const socket = new ReconnectingSocket({
    target: () => ({ url: 'wss://host/api/ws/notebooks/n1', protocols: ['notebook', `bearer.${token}`] }),
    onMessage: (message) => messages.push(message),
    onState: (state) => states.push(state),
    backoff: { initialMs: 100, maxMs: 1000, random: () => 1 },
    WebSocketImpl: FakeWebSocketClass,
    ...options,
  });
  return { socket, states, messages, setToken: (value: string) => (token = value) };
}

describe('backoffDelay', () => {
  it('doubles from the initial delay up to the cap, with jitter between 50% and 100%', () => {
    const full = { initialMs: 500, maxMs: 15_000, random: () => 1 };
    expect([1, 2, 3, 4, 5, 6, 7].map((attempt) => backoffDelay(attempt, full))).toEqual([
      500, 1000, 2000, 4000, 8000, 15_000, 15_000,
    ]);
    expect(backoffDelay(3, { ...full, random: () => 0 })).toBe(1000);
  });
});

describe('ReconnectingSocket', () => {
  it('connects with the URL and protocols of the target and parses JSON messages', () => {
    const { messages, states } = start();
    const ws = FakeWebSocket.latest;
    expect(ws.url).toBe('wss://host/api/ws/notebooks/n1');
    expect(ws.protocols).toEqual(['notebook', 'bearer.one']);
    expect(states.at(-1)?.status).toBe('connecting');
    ws.open();
    ws.receive({ type: 'cell_status', cell_id: 'a', status: 'running' });
    ws.receive('not json');
    expect(messages).toEqual([{ type: 'cell_status', cell_id: 'a', status: 'running' }]);
    expect(states.at(-1)?.status).toBe('open');
  });

  it('reconnects with growing delays, and resets the backoff once open again', () => {
    const { states, setToken } = start();
    FakeWebSocket.latest.open();

    setToken('two');
    FakeWebSocket.latest.drop();
    expect(states.at(-1)).toMatchObject({ status: 'reconnecting', attempt: 1 });
    vi.advanceTimersByTime(99);
    expect(FakeWebSocket.instances).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(2);
    expect(FakeWebSocket.latest.protocols).toEqual(['notebook', 'bearer.two']);

    FakeWebSocket.latest.drop();
    expect(states.at(-1)).toMatchObject({ status: 'reconnecting', attempt: 2 });
    vi.advanceTimersByTime(199);
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(FakeWebSocket.instances).toHaveLength(3);

    expect(states.at(-1)).toMatchObject({ status: 'reconnecting', attempt: 2, retryAt: null });
    FakeWebSocket.latest.open();
    expect(states.at(-1)).toMatchObject({ status: 'open', attempt: 0 });
    FakeWebSocket.latest.drop();
    expect(states.at(-1)).toMatchObject({ attempt: 1 });
  });

  it('sends JSON only while open, without queueing', () => {
    const { socket } = start();
    expect(socket.send({ type: 'interrupt' })).toBe(false);
    FakeWebSocket.latest.open();
    expect(socket.send({ type: 'run_cell', cell_id: 'a' })).toBe(true);
    expect(FakeWebSocket.latest.sent).toEqual([{ type: 'run_cell', cell_id: 'a' }]);
  });

  it('skips the remaining backoff on reconnectNow, and ignores it while connected', () => {
    const { socket } = start();
    FakeWebSocket.latest.open();
    socket.reconnectNow();
    expect(FakeWebSocket.instances).toHaveLength(1);
    FakeWebSocket.latest.drop();
    socket.reconnectNow();
    expect(FakeWebSocket.instances).toHaveLength(2);
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('stops on a terminal close code and restarts on demand', () => {
    const { socket, states } = start({ isTerminal: ({ code }) => (code === 4401 ? 'token refused' : undefined) });
    FakeWebSocket.latest.drop(4401, 'unauthorized');
    expect(states.at(-1)).toMatchObject({ status: 'closed', reason: 'token refused' });
    vi.advanceTimersByTime(60_000);
    expect(FakeWebSocket.instances).toHaveLength(1);
    socket.reconnectNow();
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('restart replaces an open socket (new credentials)', () => {
    const { socket } = start();
    const first = FakeWebSocket.latest;
    first.open();
    socket.restart();
    expect(first.closedWith).toEqual({ code: 1000, reason: 'restart' });
    expect(FakeWebSocket.instances).toHaveLength(2);
    first.drop();
    vi.advanceTimersByTime(10_000);
    expect(FakeWebSocket.instances).toHaveLength(2);
  });

  it('close stops for good: no retry after the close event, reconnectNow does nothing', () => {
    const { socket, states } = start();
    const ws = FakeWebSocket.latest;
    ws.open();
    socket.close();
    ws.drop(1000);
    vi.advanceTimersByTime(60_000);
    socket.reconnectNow();
    expect(FakeWebSocket.instances).toHaveLength(1);
    expect(states.at(-1)).toMatchObject({ status: 'closed', reason: 'closed by the page' });
  });

  it('gives up when the WebSocket cannot even be constructed', () => {
    const Throwing = function () {
      throw new SyntaxError('invalid subprotocol');
    } as unknown as typeof WebSocket;
    const { states } = start({ WebSocketImpl: Throwing });
    expect(states.at(-1)).toMatchObject({ status: 'closed', reason: 'invalid subprotocol' });
  });
});
