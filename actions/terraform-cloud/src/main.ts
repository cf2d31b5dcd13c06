import { ConfigurationError, runAction, runnerIo, writeOutputs, writeSummary } from '@notebook-ship/action-kit';
import { execute } from './execute';
import { readConfig } from './inputs';
import { actionOutputs } from './outcome';
import type { RunGuard } from './run-guard';

let guard: RunGuard | undefined;

await runAction(async () => {
  const config = readConfig(runnerIo);
  const outcome = await execute(config, runnerIo, (created) => (guard = created));
  writeOutputs(actionOutputs(outcome.result));
  await writeSummary(outcome.summary);
  if (outcome.failure) throw new ConfigurationError(outcome.failure);
});

// A cancelled job leaves polling timers behind; the failure is reported, so end now.
if (guard?.wasCancelled) process.exit();
