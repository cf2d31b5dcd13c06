// Completion and docs requests over the notebook WebSocket (docs/API.md): each carries an id its reply repeats.
import type { Schema } from '@notebook-ship/api-schema';
import type { ClientMessage, ServerMessage } from './protocol';

export type Completions = Schema<'CompletionsMessage'>;
export type Inspection = Schema<'InspectionMessage'>;

/** What the editor of one cell asks the kernel. `cursor` counts code points; null: no answer (not connected,
 * cancelled, or the cell is gone). */
export interface Assistant {
  complete(code: string, cursor: number, cancelled: Cancelled): Promise<Completions | null>;
  inspect(code: string, cursor: number, cancelled: Cancelled): Promise<Inspection | null>;
}

/** Monaco's CancellationToken, as far as it is used here. */
export interface Cancelled {
  onCancellationRequested(listener: () => void): { dispose(): void };
}

type Reply = Completions | Inspection;

export class AssistRequests {
  private nextId = 0;
  private readonly pending = new Map<number, (reply: Reply | null) => void>();

  constructor(private readonly send: (message: ClientMessage) => boolean) {}

  assistant(cellId: string): Assistant {
    return {
      complete: (code, cursor, cancelled) => this.ask('complete', cellId, code, cursor, cancelled) as Promise<Completions | null>,
      inspect: (code, cursor, cancelled) => this.ask('inspect', cellId, code, cursor, cancelled) as Promise<Inspection | null>,
    };
  }

  /** Settles the request a reply answers; false for any other message. */
  settle(message: ServerMessage): boolean {
    if (message.type !== 'completions' && message.type !== 'inspection') return false;
    this.pending.get(message.request_id)?.(message);
    return true;
  }

  /** The connection dropped: no reply will come. */
  dropAll(): void {
    for (const resolve of [...this.pending.values()]) resolve(null);
  }

  private ask(
    type: 'complete' | 'inspect',
    cellId: string,
    code: string,
    cursor: number,
    cancelled: Cancelled,
  ): Promise<Reply | null> {
    const requestId = this.nextId++;
    return new Promise((resolve) => {
      const settle = (reply: Reply | null) => {
        this.pending.delete(requestId);
        listener.dispose();
        resolve(reply);
      };
      const listener = cancelled.onCancellationRequested(() => settle(null));
      this.pending.set(requestId, settle);
      if (!this.send({ type, request_id: requestId, cell_id: cellId, code, cursor })) settle(null);
    });
  }
}
