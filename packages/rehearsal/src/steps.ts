// One workflow step that uses a local action: the committed bundle run by the kit's runner harness (INPUT_*
// variables, GITHUB_OUTPUT and the other runner files), its log shown live as a run shows it, and its failure
// reported with the action's own error annotations.
import { join } from 'node:path';
import { runActionBundle } from '@notebook-ship/action-kit/testing';
import { repoRoot } from '../../../scripts/lib/repo.mjs';
import { createLogRenderer } from './log';
import { stopChild, type Supervisor } from './processes';

/** A failed step, with the outputs it wrote before failing (the runner passes those on too). */
export class StepError extends Error {
  constructor(
    message: string,
    readonly outputs: Record<string, string> = {},
  ) {
    super(message);
  }
}

export interface ActionStep {
  action: string;
  inputs: Record<string, string>;
  env: Record<string, string>;
  timeoutMinutes: number;
  supervisor: Supervisor;
  print: (line: string) => void;
  cwd?: string;
  /** The bundle, by default the action's committed dist/index.js. */
  entry?: string;
}

/** Runs the step and returns its outputs, or throws a StepError with the action's own errors. */
export async function runActionStep(step: ActionStep): Promise<Record<string, string>> {
  const { action, inputs, env, timeoutMinutes, supervisor, print, cwd = repoRoot } = step;
  const entry = step.entry ?? join(repoRoot, 'actions', action, 'dist', 'index.js');
  const uses = `./actions/${action}`;
  print(`  ┆ uses: ${uses}`);
  const log = createLogRenderer(print);
  const streams = { stdout: log.stream(), stderr: log.stream() };
  let untrack = () => {};
  const result = await runActionBundle(entry, {
    inputs,
    env,
    cwd,
    timeoutMs: timeoutMinutes * 60_000,
    onSpawn: (child) => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      untrack = supervisor.track(uses, () => stopChild(child, exited, 5_000), child.pid);
      child.stdout?.on('data', (chunk) => streams.stdout.write(String(chunk)));
      child.stderr?.on('data', (chunk) => streams.stderr.write(String(chunk)));
    },
  })
    .catch((error: Error) => {
      // The harness's timeout error carries the step's raw output: only the masked log reaches the user.
      throw new StepError(`${uses} did not finish within its job's timeout-minutes (${timeoutMinutes}): ${log.mask(error.message.split('\n')[0] ?? '')}`);
    })
    .finally(() => untrack());
  streams.stdout.end();
  streams.stderr.end();
  if (result.exitCode !== 0) {
    const how = result.signal ? `was stopped by ${result.signal}` : `exited with code ${result.exitCode}`;
    const errors = result.commands
      .filter((command) => command.command === 'error')
      .map(({ properties, message }) => log.mask(properties.title ? `${properties.title}: ${message}` : message));
    throw new StepError(errors.length ? `${uses}: ${errors.join('\n')}` : `${uses} ${how}`, result.outputs);
  }
  return result.outputs;
}
