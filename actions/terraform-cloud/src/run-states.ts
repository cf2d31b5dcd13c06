// The run state machine as documented for the runs API (data.attributes.status), with what each state means for
// someone waiting on it. States added later by HashiCorp are treated as "still in progress" and logged by name.

const DESCRIPTIONS: Record<string, string> = {
  pending: 'waiting for the workspace: earlier runs, or a lock',
  fetching: 'fetching the configuration',
  fetching_completed: 'configuration fetched',
  pre_plan_running: 'running pre-plan tasks',
  pre_plan_completed: 'pre-plan tasks completed',
  queuing: 'queuing the plan',
  plan_queued: 'waiting for a free worker to plan',
  planning: 'planning',
  planned: 'planned',
  cost_estimating: 'estimating costs',
  cost_estimated: 'costs estimated',
  policy_checking: 'checking policies',
  policy_override: 'a policy soft-failed and needs an override',
  policy_soft_failed: 'a policy soft-failed',
  policy_checked: 'policies passed',
  post_plan_running: 'running post-plan tasks',
  post_plan_completed: 'post-plan tasks completed',
  planned_and_finished: 'planned, nothing more to do',
  planned_and_saved: 'planned and saved',
  confirmed: 'confirmed',
  pre_apply_running: 'running pre-apply tasks',
  pre_apply_completed: 'pre-apply tasks completed',
  queuing_apply: 'queuing the apply',
  apply_queued: 'waiting for a free worker to apply',
  applying: 'applying',
  applied: 'applied',
  discarded: 'discarded',
  errored: 'errored',
  canceled: 'canceled',
  force_canceled: 'force-canceled',
};

/** No further transition happens on its own. */
const FINAL = new Set([
  'applied',
  'planned_and_finished',
  'planned_and_saved',
  'policy_soft_failed',
  'discarded',
  'errored',
  'canceled',
  'force_canceled',
]);

/** Time spent here is queue time: the run waits for the workspace or for capacity, not for Terraform. */
const QUEUED = new Set(['pending', 'queuing', 'plan_queued', 'queuing_apply', 'apply_queued']);

/** Final states in which nothing went wrong. */
const SUCCEEDED = new Set(['applied', 'planned_and_finished', 'planned_and_saved', 'policy_soft_failed']);

export function describeStatus(status: string): string {
  return DESCRIPTIONS[status] ?? status.replace(/_/g, ' ');
}

export function isFinal(status: string): boolean {
  return FINAL.has(status);
}

export function isQueued(status: string): boolean {
  return QUEUED.has(status);
}

export function succeeded(status: string): boolean {
  return SUCCEEDED.has(status);
}

/**
 * Where an apply run stops for the action: confirmable (the plan is ready to compare), a final state, or a policy
 * that needs a human override. `is-confirmable` is the API's own answer; the state names only back it up.
 */
export function awaitsDecision(run: { status: string; actions: { isConfirmable: boolean } }): boolean {
  return run.actions.isConfirmable || isFinal(run.status) || run.status === 'policy_override';
}

/** Where a plan-only run stops: a final state, or a policy override that a speculative run can never get. */
export function planOnlyDone(run: { status: string }): boolean {
  return isFinal(run.status) || run.status === 'policy_override';
}
