import type { Outputs } from '@notebook-ship/action-kit';
import type { PlanDetails } from './plan-details';
import type { WorkspaceOutputs } from './workspace-outputs';

/** The run a command created, as it ended. */
export interface RunResult {
  id: string;
  url: string;
  status: string;
}

/** What a command found. A part it never got (no run for `outputs`, no plan of a failed run) sets no outputs. */
export interface CommandResult {
  run?: RunResult;
  plan?: PlanDetails;
  workspaceOutputs?: WorkspaceOutputs;
}

/** What a command hands back to the run boundary. */
export interface Outcome {
  result: CommandResult;
  summary: string;
  /** Set when the step must fail, after its outputs and summary are written. */
  failure?: string;
}

type RunOutput = 'run-id' | 'run-url' | 'status';
type PlanOutput = 'has-changes' | 'add' | 'change' | 'destroy' | 'replace' | 'plan-fingerprint';
/** The outputs action.yml declares. */
export type OutputName = RunOutput | PlanOutput | 'outputs';

/** The step's outputs: those of the parts the command found, none made up for the parts it did not. */
export function actionOutputs({ run, plan, workspaceOutputs }: CommandResult): Partial<Outputs<OutputName>> {
  return {
    ...(run && runOutputs(run)),
    ...(plan && planOutputs(plan)),
    ...(workspaceOutputs && { outputs: JSON.stringify(workspaceOutputs.values) }),
  };
}

function runOutputs(run: RunResult): Outputs<RunOutput> {
  return { 'run-id': run.id, 'run-url': run.url, status: run.status };
}

function planOutputs(plan: PlanDetails): Outputs<PlanOutput> {
  return {
    'has-changes': String(plan.hasChanges),
    add: String(plan.counts.add),
    change: String(plan.counts.change),
    destroy: String(plan.counts.destroy),
    replace: plan.replaceKnown ? String(plan.counts.replace) : '',
    'plan-fingerprint': plan.fingerprint?.digest ?? '',
  };
}
