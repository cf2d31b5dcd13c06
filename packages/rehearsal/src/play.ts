// Plays one job of deploy.yml the way the runner does: the stage's inputs from the job's `with:`, then the stage's
// steps in order with their `with:` and `env:` evaluated, the local actions run from their committed bundles, and
// the job's outputs computed from the steps' outputs by the stage's own `outputs:`. Steps that only prepare a
// runner (checkout, AWS credentials, setup-node) are not played here, and say so; a step the rehearsal must play
// differently (Terraform in HCP Terraform, a `run:` script that calls the AWS CLI) has a stand-in.
import { basename } from 'node:path';
import { evaluateCondition, type Contexts, type Step } from '@notebook-ship/workflows';
import { callOutputs, localAction, stepValues, type StageCall } from './workflow';

export interface StepResult {
  outputs: Record<string, string>;
  /** Why the step did not do its work here (the job is then reported as skipped). */
  skipped?: string;
}

export interface StandInArgs {
  with: Record<string, string>;
  env: Record<string, string>;
  call: StageCall;
  /** Runs the step's local action with its inputs, some of them replaced. */
  runAction: (overrides?: Record<string, string>) => Promise<Record<string, string>>;
}

/** Keyed by `<stage file>#<step id>`, e.g. `stage-smoke-test.yml#token`. */
export type StandIns = Record<string, (args: StandInArgs) => Promise<StepResult>>;

/** A job whose step failed, with the outputs the job still gives back: those its steps wrote until then. */
export class JobFailure extends Error {
  constructor(
    readonly error: unknown,
    readonly outputs: Record<string, string>,
  ) {
    super(error instanceof Error ? error.message : String(error), { cause: error });
  }
}

export type RunAction = (action: string, inputs: Record<string, string>, call: StageCall) => Promise<Record<string, string>>;

export const standInKey = (call: StageCall, step: Step) => `${basename(call.stage.path)}#${step.id ?? ''}`;

/** What a step that is not played would have done, in a few words. */
function describe(step: Step): string {
  return step.uses ? step.uses.replace(/@.*$/, '') : `"${step.name ?? 'run'}"`;
}

export async function playStage(
  call: StageCall,
  { contexts, standIns, runAction, log }: { contexts: Contexts; standIns: StandIns; runAction: RunAction; log: (line: string) => void },
): Promise<{ outputs: Record<string, string>; skipped?: string }> {
  const steps: Record<string, { outputs: Record<string, string>; outcome: string; conclusion: string }> = {};
  const notPlayed: string[] = [];
  let skipped: string | undefined;
  for (const step of call.stageJob.steps ?? []) {
    const action = localAction(step);
    const standIn = step.id ? standIns[standInKey(call, step)] : undefined;
    if (!action && !standIn) {
      notPlayed.push(describe(step));
      continue;
    }
    const stepContexts = { ...contexts, inputs: call.inputs, steps };
    if (step.if !== undefined && !evaluateCondition(step.if, stepContexts)) {
      log(`  ┆ skipped (if: ${String(step.if).trim()}): ${step.id ?? describe(step)}`);
      continue;
    }
    const values = stepValues(step, stepContexts);
    const run = (overrides: Record<string, string> = {}) => {
      if (!action) throw new Error(`${call.stage.path}: step "${step.id}" uses no local action`);
      return runAction(action, { ...values.with, ...overrides }, call);
    };
    let result: StepResult;
    try {
      result = standIn ? await standIn({ ...values, call, runAction: run }) : { outputs: await run() };
    } catch (error) {
      const written = (error as { outputs?: Record<string, string> }).outputs ?? {};
      if (step.id) steps[step.id] = { outputs: written, outcome: 'failure', conclusion: 'failure' };
      throw new JobFailure(error, callOutputs(call, steps, contexts));
    }
    skipped ??= result.skipped;
    if (step.id) steps[step.id] = { outputs: result.outputs, outcome: 'success', conclusion: 'success' };
  }
  if (notPlayed.length) log(`  ┆ not played here (runner set-up): ${notPlayed.join(', ')}`);
  return { outputs: callOutputs(call, steps, contexts), skipped };
}
