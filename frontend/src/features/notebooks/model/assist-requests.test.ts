import { describe, expect, it } from 'vitest';
import { AssistRequests, type Cancelled, type Completions } from './assist-requests';
import type { ClientMessage } from './protocol';

function cancellable(): Cancelled & { cancel(): void } {
  const listeners = new Set<() => void>();
  return {
    onCancellationRequested: (listener) => {
      listeners.add(listener);
      return { dispose: () => listeners.delete(listener) };
    },
    cancel: () => listeners.forEach((listener) => listener()),
  };
}

function completions(requestId: number, label: string): Completions {
  return { type: 'completions', request_id: requestId, cell_id: 'c1', start: 5, items: [{ label, kind: 'function' }], reason: null };
}

describe('AssistRequests', () => {
  it('sends each request with its own id and settles it with the reply that repeats the id', async () => {
    const sent: ClientMessage[] = [];
    const requests = new AssistRequests((message) => sent.push(message) > 0);
    const assistant = requests.assistant('c1');
    const first = assistant.complete('math.fl', 7, cancellable());
    const second = assistant.complete('math.ce', 7, cancellable());
    expect(sent).toEqual([
      { type: 'complete', request_id: 0, cell_id: 'c1', code: 'math.fl', cursor: 7 },
      { type: 'complete', request_id: 1, cell_id: 'c1', code: 'math.ce', cursor: 7 },
    ]);
    expect(requests.settle(completions(1, 'ceil'))).toBe(true);
    expect(requests.settle(completions(0, 'floor'))).toBe(true);
    expect((await first)?.items[0]?.label).toBe('floor');
    expect((await second)?.items[0]?.label).toBe('ceil');
  });

  it('leaves the notebook messages to the notebook', () => {
    const requests = new AssistRequests(() => true);
    expect(requests.settle({ type: 'notebook_deleted', notebook_id: 'n' })).toBe(false);
  });

  it('answers null when not connected, when cancelled and when the connection drops', async () => {
    const offline = new AssistRequests(() => false);
    expect(await offline.assistant('c1').inspect('x', 1, cancellable())).toBeNull();

    const requests = new AssistRequests(() => true);
    const token = cancellable();
    const cancelled = requests.assistant('c1').complete('x', 1, token);
    token.cancel();
    expect(await cancelled).toBeNull();
    const dropped = requests.assistant('c1').inspect('x', 1, cancellable());
    requests.dropAll();
    expect(await dropped).toBeNull();
    expect(requests.settle(completions(0, 'late'))).toBe(true); // a reply after a cancel is simply ignored
  });
});
