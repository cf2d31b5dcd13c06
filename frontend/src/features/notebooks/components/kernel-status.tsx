import type { KernelState } from '../model/protocol';

export interface KernelView {
  state: KernelState;
  reason: string | null;
  /** How far a start that takes long has come, as the server words it ("ECS task PENDING (12 s)"). */
  progress: string | null;
}

const KERNEL_TEXT: Record<KernelState, string> = {
  starting: 'Starting kernel…',
  ready: 'Python ready',
  restarting: 'Restarting kernel…',
  stopped: 'Python idle',
};

/** The kernel's state in the toolbar, with the progress of its start while it starts. */
export function KernelStatus({ kernel, connected }: { kernel: KernelView; connected: boolean }) {
  const starting = kernel.state === 'starting' || kernel.state === 'restarting';
  return (
    <span className="muted kernel-state" title={kernel.reason ?? undefined}>
      {/* The kernel's state is only known through the connection: while it is down, the last one may be wrong. */}
      {connected ? KERNEL_TEXT[kernel.state] : 'Python: unknown while disconnected'}
      {connected && starting && kernel.progress && <span className="kernel-progress"> {kernel.progress}</span>}
    </span>
  );
}

/** Why the kernel is stopped (idle, from the kernels panel, or it could not start: ECS's reason), told until a cell
 * runs: the cells are stale. A restart's reason is the hover text of the kernel state: it lasts a moment. */
export function KernelNotice({ kernel }: { kernel: KernelView }) {
  if (!kernel.reason || kernel.state === 'restarting') return null;
  return (
    <p className="kernel-notice" role="status">
      {kernel.reason.charAt(0).toUpperCase() + kernel.reason.slice(1)}.
    </p>
  );
}
