// Runs the rehearsal's stages in order, like the jobs of a workflow run: the first failure stops the run with that
// stage's own error and the later stages are not run, unless a stage decides for itself (a job's `if:`, which may
// start it after a failure: a rollback); a stage may skip itself with a reason; a cancelled run (Ctrl-C) says so
// instead of blaming the stage it interrupted. Then the table.
import { formatTable, type Outcome } from '../../../scripts/lib/phases.mjs';

/** What a stage returns to be reported as skipped (it ran, and chose to do nothing). */
export interface Skipped {
  skipped: string;
}
export const skipped = (reason: string): Skipped => ({ skipped: reason });

export interface Stage {
  name: string;
  title?: string;
  run: () => Promise<unknown> | unknown;
  /** Whether it runs, whatever failed before: undefined to run it, else why not. */
  decide?: () => string | undefined;
}

export interface StagesResult {
  ok: boolean;
  outcomes: Outcome[];
  failed?: { stage: string; error: unknown };
}

const isSkipped = (result: unknown): result is Skipped =>
  typeof result === 'object' && result !== null && 'skipped' in result;

export async function runStages(
  stages: Stage[],
  {
    log = console.log,
    now = () => performance.now(),
    cancelled = () => undefined,
    done = [],
  }: {
    log?: (line: string) => void;
    now?: () => number;
    cancelled?: () => string | undefined;
    /** Stages that ran before these (the set-up that made them loadable), listed first in the table. */
    done?: Outcome[];
  } = {},
): Promise<StagesResult> {
  const outcomes: Outcome[] = [...done];
  let failed: StagesResult['failed'];
  let stopped: string | undefined;
  for (const stage of stages) {
    const reason = cancelled();
    stopped ??= reason && `cancelled (${reason})`;
    const notRun = stopped ?? (stage.decide ? stage.decide() : failed && `${failed.stage} failed`);
    if (notRun) {
      outcomes.push({ name: stage.name, result: 'skipped', seconds: 0, detail: `not run: ${notRun}` });
      continue;
    }
    log(`\n▶ ${stage.name}${stage.title ? `: ${stage.title}` : ''}`);
    const started = now();
    const seconds = () => (now() - started) / 1000;
    try {
      const result = await stage.run();
      if (isSkipped(result)) {
        log(`  skipped: ${result.skipped}`);
        outcomes.push({ name: stage.name, result: 'skipped', seconds: seconds(), detail: result.skipped });
      } else {
        outcomes.push({ name: stage.name, result: 'passed', seconds: seconds() });
      }
    } catch (error) {
      const why = cancelled();
      const detail = why ? `cancelled (${why})` : error instanceof Error ? error.message : String(error);
      log(why ? `✗ ${stage.name} ${detail}` : `✗ ${stage.name} failed: ${detail}`);
      outcomes.push({ name: stage.name, result: 'failed', seconds: seconds(), detail });
      failed ??= { stage: stage.name, error };
    }
  }
  log(formatTable(outcomes, 'stage'));
  return { ok: !failed, outcomes, failed };
}
