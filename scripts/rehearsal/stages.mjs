// Runs the rehearsal's stages in order, like the jobs of a workflow run: the first failure stops the run with that
// stage's own error and the later stages are not run; a stage may skip itself with a reason; a cancelled run (Ctrl-C)
// says so instead of blaming the stage it interrupted. Then the table.
import { formatTable } from '../lib/phases.mjs';

/** What a stage returns to be reported as skipped (it ran, and chose to do nothing). */
export const skipped = (reason) => ({ skipped: reason });

/**
 * @typedef {{ name: string, title?: string, run: () => Promise<unknown> | unknown }} Stage
 * @typedef {import('../lib/phases.d.mts').Outcome} Outcome
 * @param {Stage[]} stages
 * @param {{ log?: (line: string) => void, now?: () => number, cancelled?: () => string | undefined }} options
 *   `cancelled`: why the run was cancelled, once it was
 * @returns {Promise<{ ok: boolean, outcomes: Outcome[], failed?: { stage: string, error: unknown } }>}
 */
export async function runStages(stages, { log = console.log, now = () => performance.now(), cancelled = () => undefined } = {}) {
  /** @type {Outcome[]} */
  const outcomes = [];
  let failed;
  let stopped;
  for (const stage of stages) {
    stopped ??= cancelled() && `cancelled (${cancelled()})`;
    if (failed || stopped) {
      outcomes.push({ name: stage.name, result: 'skipped', seconds: 0, detail: `not run: ${stopped ?? `${failed.stage} failed`}` });
      continue;
    }
    log(`\n▶ ${stage.name}${stage.title ? `: ${stage.title}` : ''}`);
    const started = now();
    const seconds = () => (now() - started) / 1000;
    try {
      const result = await stage.run();
      if (result && typeof result === 'object' && 'skipped' in result) {
        log(`  skipped: ${result.skipped}`);
        outcomes.push({ name: stage.name, result: 'skipped', seconds: seconds(), detail: result.skipped });
      } else {
        outcomes.push({ name: stage.name, result: 'passed', seconds: seconds() });
      }
    } catch (error) {
      const reason = cancelled();
      const detail = reason ? `cancelled (${reason})` : error instanceof Error ? error.message : String(error);
      log(reason ? `✗ ${stage.name} ${detail}` : `✗ ${stage.name} failed: ${detail}`);
      outcomes.push({ name: stage.name, result: 'failed', seconds: seconds(), detail });
      failed = { stage: stage.name, error };
    }
  }
  log(formatTable(outcomes, 'stage'));
  return { ok: !failed, outcomes, failed };
}
