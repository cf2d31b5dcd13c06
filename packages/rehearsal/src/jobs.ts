// deploy.yml's jobs as the rehearsal's stages, each started as the runner starts it: its `if:` judged with the
// results of the jobs before it, so that after a failure the rollback jobs run and the others are skipped. A failed
// job still gives back the outputs its steps wrote, as on GitHub.
import { jobOrder, jobStarts, type Contexts, type JobRun, type Workflow } from '@notebook-ship/workflows';
import { JobFailure } from './play';
import { skipped, type Stage } from './stages';

export type PlayJob = (job: string, contexts: Contexts) => Promise<{ outputs: Record<string, string>; skipped?: string }>;

/** Stages for every job of `workflow`; `runs` receives each job's result and outputs (`needs.<job>`). */
export function jobStages(workflow: Workflow, contexts: Contexts, runs: Record<string, JobRun>, play: PlayJob): Stage[] {
  return jobOrder(workflow).map((job) => {
    const condition = workflow.data.jobs[job]?.if;
    let jobContexts = contexts;
    return {
      name: job,
      title: `${workflow.data.jobs[job]?.name ?? job} (deploy.yml job "${job}")`,
      decide: () => {
        const decision = jobStarts(workflow, job, runs, contexts);
        jobContexts = decision.contexts;
        if (decision.starts) return undefined;
        runs[job] = { result: 'skipped', outputs: {} };
        return condition === undefined
          ? 'a job it needs did not succeed'
          : `its if: is false (${String(condition).replace(/\s+/g, ' ').trim()})`;
      },
      run: async () => {
        try {
          const result = await play(job, jobContexts);
          runs[job] = { result: 'success', outputs: result.outputs };
          return result.skipped ? skipped(result.skipped) : undefined;
        } catch (error) {
          runs[job] = { result: 'failure', outputs: error instanceof JobFailure ? error.outputs : {} };
          throw error;
        }
      },
    };
  });
}
