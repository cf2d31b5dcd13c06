import { formatDuration, pollUntil, systemClock, type Clock } from '@notebook-ship/action-kit';
import { describeStatus, isQueued } from './run-states';
import type { Run, TfcApi } from './tfc-api';

export interface WatchOptions {
  api: TfcApi;
  runId: string;
  /** Stop watching when this holds. */
  until: (run: Run) => boolean;
  /** What is awaited, for the timeout message. */
  description: string;
  intervalMs: number;
  timeoutMs: number;
  log: (message: string) => void;
  clock?: Clock;
}

export interface Watched {
  run: Run;
  /** Time the run spent waiting in queue states while it was watched. */
  queuedMs: number;
  elapsedMs: number;
}

/**
 * Polls a run at a steady pace until `until` holds, logging every state change with the time spent in the
 * previous state, so a long wait shows whether the run was queued behind others or working.
 */
export async function watchRun(options: WatchOptions): Promise<Watched> {
  const { api, runId, until, description, intervalMs, timeoutMs, log, clock = systemClock } = options;
  const started = clock.now();
  let status: string | undefined;
  let since = started;
  let queuedMs = 0;
  const run = await pollUntil<Run>({
    description,
    intervalMs,
    timeoutMs,
    clock,
    hint: 'Raise "timeout-minutes", or look at the run in HCP Terraform for what it is waiting on.',
    check: async () => {
      const current = await api.run(runId);
      const now = clock.now();
      if (current.status !== status) {
        if (status !== undefined) {
          if (isQueued(status)) queuedMs += now - since;
          const after = `after ${formatDuration(now - since)} ${status}`;
          log(`${runId}: ${current.status} (${describeStatus(current.status)}) ${after}.`);
        } else {
          log(`${runId}: ${current.status} (${describeStatus(current.status)}).`);
        }
        status = current.status;
        since = now;
      }
      return until(current) ? { done: true, value: current } : { done: false, state: current.status };
    },
  });
  return { run, queuedMs, elapsedMs: clock.now() - started };
}
