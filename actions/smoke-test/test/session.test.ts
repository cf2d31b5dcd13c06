import { describe, expect, it } from '@jest/globals';
import { closeCodeOf } from '../src/handshake';
import { describeClose, SeqTracker, type ServerMessage } from '../src/session';

// Frames as a server of any version may send them: only the fields the tracker reads.
const frame = (fields: { type: string; [field: string]: unknown }) => fields as ServerMessage;
const snapshot = (seq: number) => frame({ type: 'snapshot', notebook: { seq } });
const event = (seq: number) => frame({ type: 'cell_status', seq });

describe('SeqTracker', () => {
  it('accepts n+1, n+2 after a snapshot with seq n, and messages without seq anywhere', () => {
    const tracker = new SeqTracker();
    expect([snapshot(4), event(5), frame({ type: 'notebook_updated' }), event(6), frame({ type: 'error', message: 'x' }), event(7)].map((m) => tracker.accept(m))).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
    expect(tracker.lastSeq).toBe(7);
  });

  it('reports a gap, an event before the snapshot, and a snapshot without seq; a new snapshot restarts the count', () => {
    const tracker = new SeqTracker();
    expect(tracker.accept(event(3))).toBe('a cell_status message (seq 3) arrived before the snapshot');
    expect(tracker.accept(snapshot(10))).toBeUndefined();
    expect(tracker.accept(event(13))).toBe('the messages jumped from seq 10 to 13: 2 engine events were lost on the way');
    expect(tracker.accept(snapshot(40))).toBeUndefined();
    expect(tracker.accept(event(41))).toBeUndefined();
    expect(tracker.accept(frame({ type: 'snapshot', notebook: {} }))).toBe('the snapshot has no seq');
  });
});

describe('describeClose', () => {
  it('explains the codes a deployment produces', () => {
    expect(describeClose(1006, '')).toBe(
      'the connection dropped without a close frame (1006): a proxy or the load balancer cut it, or the task restarted',
    );
    expect(describeClose(1001, 'shutdown')).toBe('the server is going away (1001, "shutdown"): the task is shutting down — a deployment still in progress?');
    expect(describeClose(4404, '')).toBe('the notebook was deleted (4404)');
    expect(describeClose(4000, 'custom')).toBe('the server closed it with code 4000, "custom"');
  });
});

describe('closeCodeOf', () => {
  it('reads the status of an unmasked close frame, and nothing from other frames', () => {
    expect(closeCodeOf(Buffer.from([0x88, 0x02, 0x11, 0x31]))).toBe(4401);
    expect(closeCodeOf(Buffer.from([0x81, 0x02, 0x7b, 0x7d]))).toBeUndefined();
    expect(closeCodeOf(Buffer.from([0x88, 0x00]))).toBeUndefined();
    expect(closeCodeOf(Buffer.alloc(0))).toBeUndefined();
  });
});
