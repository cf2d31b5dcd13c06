import * as core from '@actions/core';
import { ConfigurationError, runAction, writeSummary } from '@notebook-ship/action-kit';
import { execute } from './execute';
import { readConfig } from './inputs';
import type { RunGuard } from './run-guard';

let guard: RunGuard | undefined;

await runAction(async () => {
  const config = readConfig();
  const outcome = await execute(config, (created) => (guard = created));
  for (const [name, value] of Object.entries(outcome.outputs)) core.setOutput(name, value);
  await writeSummary(outcome.summary);
  if (outcome.failure) throw new ConfigurationError(outcome.failure);
});

// A cancelled job leaves polling timers behind; the failure is reported, so end now.
if (guard?.wasCancelled) process.exit();
