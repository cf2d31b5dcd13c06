// Runs named phases in order and prints a table of results and durations, like a workflow run.
// A phase may be skipped when a system piece is missing: a loud line locally, a failure in CI.

/**
 * @typedef {{ name: string, run: () => unknown, unavailable?: () => string | undefined, fatal?: boolean }} Phase
 * @typedef {{ name: string, result: 'passed' | 'failed' | 'skipped', seconds: number, detail?: string }} Outcome
 */

/** @returns {Promise<{ outcomes: Outcome[], ok: boolean }>} */
export async function runPhases(phases, { ci = false, log = console.log, now = () => performance.now() } = {}) {
  /** @type {Outcome[]} */
  const outcomes = [];
  for (const phase of phases) {
    const reason = phase.unavailable?.();
    if (reason) {
      const banner = '!'.repeat(78);
      log(`${banner}\n!! SKIPPED ${phase.name}: ${reason}${ci ? '\n!! CI=true: a skipped suite fails the run.' : ''}\n${banner}`);
      outcomes.push({ name: phase.name, result: ci ? 'failed' : 'skipped', seconds: 0, detail: reason });
      continue;
    }
    log(`\n▶ ${phase.name}`);
    const started = now();
    try {
      await phase.run();
      outcomes.push({ name: phase.name, result: 'passed', seconds: (now() - started) / 1000 });
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      log(`✗ ${phase.name}: ${detail}`);
      outcomes.push({ name: phase.name, result: 'failed', seconds: (now() - started) / 1000, detail });
      if (phase.fatal) break;
    }
  }
  log(formatTable(outcomes));
  return { outcomes, ok: outcomes.every((outcome) => outcome.result !== 'failed') };
}

/** @param {Outcome[]} outcomes  @param {string} noun what a row is: a phase of `npm test`, a stage of `npm start` */
export function formatTable(outcomes, noun = 'phase') {
  const width = Math.max(5, ...outcomes.map((outcome) => outcome.name.length));
  const rows = outcomes.map(
    (outcome) => `${outcome.name.padEnd(width)}  ${outcome.result.padEnd(7)}  ${outcome.seconds.toFixed(1).padStart(7)}s`,
  );
  const total = outcomes.reduce((sum, outcome) => sum + outcome.seconds, 0);
  const count = (result) => outcomes.filter((outcome) => outcome.result === result).length;
  const skipped = count('skipped');
  return [
    '',
    `${noun.padEnd(width)}  result   duration`,
    ...rows,
    `${'total'.padEnd(width)}           ${total.toFixed(1).padStart(7)}s`,
    `${noun}s: ${count('passed')} passed, ${count('failed')} failed${skipped ? `, ${skipped} skipped` : ''}`,
  ].join('\n');
}
