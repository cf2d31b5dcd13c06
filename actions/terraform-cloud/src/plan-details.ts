import { formatDuration, pollUntil, TimeoutError } from '@notebook-ship/action-kit';
import { fingerprintPlan, type Fingerprint } from './fingerprint';
import { readPlan, type Counts, type PlanModel } from './plan-model';
import { errorLines } from './run-log';
import { remainingMs, type Session } from './session';
import type { PhaseResult, PlanJson, Run } from './tfc-api';

/** HCP Terraform renders the JSON plan right after planning; a longer wait means it will not come. */
const JSON_PLAN_WAIT_MS = 60_000;

export interface PlanDetails {
  counts: Counts;
  /** Whether `counts.replace` is known: the plan's own counters have no replacement count. */
  replaceKnown: boolean;
  hasChanges: boolean;
  model?: PlanModel;
  fingerprint?: Fingerprint;
  /** Why the JSON plan could not be used, when it could not. */
  unavailable?: string;
}

/** The finished plan of a run: from its JSON plan when the token may read it, else from the plan's counters. */
export async function readPlanDetails(
  session: Session,
  run: Run,
  { warn = true }: { warn?: boolean } = {},
): Promise<PlanDetails> {
  const { planId } = run;
  if (!planId) throw new Error(`Run ${run.id} has no plan.`);
  const { api } = session;
  const phase = await api.plan(planId);
  const json = await pollUntil<PlanJson>({
    description: 'the JSON plan to be ready',
    intervalMs: Math.min(session.config.pollIntervalMs, 2_000),
    timeoutMs: Math.min(remainingMs(session), JSON_PLAN_WAIT_MS),
    clock: session.clock,
    check: async () => {
      const answer = await api.planJson(planId);
      return answer.kind === 'pending' ? { done: false, state: 'not ready (204)' } : { done: true, value: answer };
    },
  }).catch((error: unknown): PlanJson => {
    if (!(error instanceof TimeoutError)) throw error;
    const reason = `the JSON plan was still not ready after ${formatDuration(JSON_PLAN_WAIT_MS)}`;
    return { kind: 'unavailable', reason };
  });
  let unavailable = json.kind === 'unavailable' ? json.reason : undefined;
  let model: PlanModel | undefined;
  if (json.kind === 'ready') {
    try {
      model = readPlan(json.json);
    } catch (error) {
      unavailable = `the JSON plan could not be read (${error instanceof Error ? error.message : String(error)})`;
    }
  }
  if (unavailable && warn) session.io.warning(`Showing counts only: ${unavailable}.`);
  return {
    counts: model?.counts ?? countersOf(phase),
    replaceKnown: Boolean(model),
    hasChanges: run.hasChanges,
    model,
    fingerprint: model ? fingerprintPlan(model) : undefined,
    unavailable,
  };
}

function countersOf(phase: PhaseResult): Counts {
  const { additions: add, changes: change, destructions: destroy, imports } = phase;
  return { add, change, destroy, replace: 0, import: imports };
}

/** What the failed phase's log says went wrong. */
export async function failureLines(session: Session, phase: PhaseResult | undefined): Promise<string[]> {
  const log = phase?.logUrl ? await session.api.log(phase.logUrl) : '';
  const lines = errorLines(log);
  return lines.length ? lines : ['(the run log could not be read; open the run in HCP Terraform)'];
}
