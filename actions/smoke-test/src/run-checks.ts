import { ConfigurationError } from '@notebook-ship/action-kit';
import { Cancelled } from './abort';
import { NEEDS, type CheckName } from './checks';

export type CheckStatus = 'passed' | 'failed' | 'skipped';

export interface CheckResult {
  name: CheckName;
  status: CheckStatus;
  durationMs: number;
  /** What was verified, why it failed (what to fix), or why it did not run. */
  detail: string;
}

export interface RunHooks {
  now: () => number;
  log: (line: string) => void;
  /** An error that is not a finding about the service (a bug): its stack is worth a debug line. */
  unexpected: (error: Error) => void;
}

/**
 * Runs the selected checks in order. A check whose prerequisite did not pass is skipped, as is everything after a
 * cancellation; cleanup always runs. Never throws: every outcome is a result.
 */
export async function runChecks(
  selected: readonly CheckName[],
  bodies: Record<CheckName, () => Promise<string>>,
  signal: AbortSignal,
  { now, log, unexpected }: RunHooks,
): Promise<CheckResult[]> {
  const results = new Map<CheckName, CheckResult>();
  for (const name of selected) {
    const blocker = NEEDS[name].map((need) => results.get(need)).find((result) => result && result.status !== 'passed');
    let skipped: string | undefined;
    if (name !== 'cleanup' && signal.aborted) skipped = 'not run: the run was cancelled';
    else if (name !== 'cleanup' && blocker) skipped = `not run: ${blocker.name} ${blocker.status}`;
    if (skipped) {
      results.set(name, { name, status: 'skipped', durationMs: 0, detail: skipped });
      log(`⏭️ ${name}: ${skipped}`);
      continue;
    }
    log(`▶️ ${name}…`);
    const started = now();
    let result: CheckResult;
    try {
      const detail = await bodies[name]();
      result = { name, status: 'passed', durationMs: now() - started, detail };
    } catch (error) {
      result = { name, status: 'failed', durationMs: now() - started, detail: describeError(error) };
      if (error instanceof Error && !(error instanceof ConfigurationError) && !(error instanceof Cancelled)) unexpected(error);
    }
    results.set(name, result);
    log(`${result.status === 'passed' ? '✅' : '❌'} ${name}: ${result.detail}`);
  }
  return [...results.values()];
}

function describeError(error: unknown): string {
  if (error instanceof ConfigurationError || error instanceof Cancelled) return error.message;
  if (error instanceof Error) return `${error.name && error.name !== 'Error' ? `${error.name}: ` : ''}${error.message}`;
  return String(error);
}
