import { ConfigurationError, type Io } from '@notebook-ship/action-kit';
import { isFinal } from './run-states';
import type { TfcApi } from './tfc-api';

/** What the runner allows between its SIGINT and its SIGTERM is 7.5 s: stopping the run must fit in it. */
const SIGNAL_BUDGET_MS = 6_000;

/**
 * Owns the run the action created until it reaches a state the action chose: when the job is cancelled or the
 * action fails half-way, the run is discarded (if it waits for confirmation) or cancelled (if it is planning or
 * applying), so it neither applies unattended nor holds the workspace queue.
 */
export class RunGuard {
  private runId?: string;
  private stopping?: Promise<string>;
  private signal?: NodeJS.Signals;
  private reject: (error: Error) => void = () => undefined;
  /** Rejects once a cancellation signal was handled; never resolves. */
  readonly cancelled: Promise<never>;

  constructor(
    private readonly api: TfcApi,
    private readonly io: Pick<Io, 'warning'>,
  ) {
    this.cancelled = new Promise<never>((_, reject) => {
      this.reject = reject;
    });
    // Only a race observes it; an unobserved rejection must not crash the process.
    this.cancelled.catch(() => undefined);
  }

  track(runId: string): void {
    this.runId = runId;
  }

  /** The run reached an outcome the action decided on: leave it alone from now on. */
  release(): void {
    this.runId = undefined;
  }

  get tracking(): string | undefined {
    return this.runId;
  }

  /** Discards or cancels the tracked run; says what happened. */
  stop(reason: string): Promise<string> {
    const runId = this.runId;
    if (!runId) return Promise.resolve('no run was in progress');
    this.stopping ??= (async () => {
      const run = await this.api.run(runId);
      if (isFinal(run.status)) return `${runId} had already ended (${run.status})`;
      const comment = `Stopped by GitHub Actions: ${reason}`;
      if (run.actions.isDiscardable && (await this.api.runAction(runId, 'discard', comment)) !== 409) {
        return `discarded ${runId} (was ${run.status})`;
      }
      if (run.actions.isCancelable && (await this.api.runAction(runId, 'cancel', comment)) !== 409) {
        return `cancelled ${runId} (was ${run.status})`;
      }
      return `could not stop ${runId}: it is ${run.status} and can be neither discarded nor cancelled`;
    })();
    return this.stopping;
  }

  /**
   * On SIGINT/SIGTERM (the runner cancelling the job), stops the run, then rejects `cancelled`, which the action
   * races its work against. Returns the function that removes the handlers.
   */
  handleSignals(): () => void {
    const onSignal = (signal: NodeJS.Signals) => {
      if (this.signal) return;
      this.signal = signal;
      this.io.warning(`Received ${signal}: the job is being cancelled.`);
      const gaveUp = `gave up stopping ${this.runId} after ${SIGNAL_BUDGET_MS / 1000}s`;
      const timeout = new Promise<string>((resolve) => setTimeout(() => resolve(gaveUp), SIGNAL_BUDGET_MS).unref());
      void Promise.race([this.stop(`the workflow job was cancelled (${signal})`), timeout])
        .catch((error: unknown) => `could not stop the run: ${error instanceof Error ? error.message : String(error)}`)
        .then((outcome) => this.reject(new ConfigurationError(`The job was cancelled (${signal}): ${outcome}.`)));
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
    return () => {
      process.off('SIGINT', onSignal);
      process.off('SIGTERM', onSignal);
    };
  }

  /** Whether a cancellation signal arrived: the process must then exit without waiting for pending work. */
  get wasCancelled(): boolean {
    return this.signal !== undefined;
  }
}
