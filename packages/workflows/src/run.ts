// Which jobs of a workflow run, as the runner schedules them: each job once the jobs it needs are done, its `if:`
// judged with the status functions answering for every job it needs, directly or not, and `needs.<job>` holding the
// direct needs' results and outputs. A job whose `if:` is false is skipped, with no outputs.
import { evaluateCondition, type Contexts } from './expressions';
import { ancestors, needsOf, type Workflow } from './model';

export type JobResult = 'success' | 'failure' | 'cancelled' | 'skipped';

export interface JobRun {
  result: JobResult;
  outputs: Record<string, string>;
}

/** Plays one job that the runner starts; `contexts` holds `needs` for it. */
export type PlayJob = (job: string, contexts: Contexts) => Promise<JobRun>;

/** The jobs in an order that respects `needs`, and otherwise the file's. */
export function jobOrder(workflow: Workflow): string[] {
  const order: string[] = [];
  const visit = (id: string, path: string[]) => {
    if (order.includes(id)) return;
    if (path.includes(id)) throw new Error(`${workflow.path}: the jobs ${[...path, id].join(' → ')} wait for each other`);
    for (const need of needsOf(workflow.data.jobs[id] ?? {})) visit(need, [...path, id]);
    order.push(id);
  };
  for (const id of Object.keys(workflow.data.jobs)) visit(id, []);
  return order;
}

/** Whether the runner starts `id` once the jobs before it ended as `runs` say; `needs` holds its direct needs. */
export function jobStarts(
  workflow: Workflow,
  id: string,
  runs: Readonly<Record<string, JobRun>>,
  contexts: Contexts,
): { starts: boolean; contexts: Contexts } {
  const job = workflow.data.jobs[id] ?? {};
  const before = [...ancestors(workflow, id)].map((need) => runs[need]?.result);
  const jobContexts = { ...contexts, needs: Object.fromEntries(needsOf(job).map((need) => [need, runs[need]])) };
  const starts = evaluateCondition(job.if ?? 'success()', jobContexts, {
    succeeded: before.every((result) => result === 'success'),
    failed: before.includes('failure'),
    cancelled: before.includes('cancelled'),
  });
  return { starts, contexts: jobContexts };
}

export async function runJobs(workflow: Workflow, contexts: Contexts, play: PlayJob): Promise<Record<string, JobRun>> {
  const runs: Record<string, JobRun> = {};
  for (const id of jobOrder(workflow)) {
    const { starts, contexts: jobContexts } = jobStarts(workflow, id, runs, contexts);
    runs[id] = starts ? await play(id, jobContexts) : { result: 'skipped', outputs: {} };
  }
  return runs;
}
