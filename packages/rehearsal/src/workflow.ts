// deploy.yml as the runner plays it on a push to main, read from the workflow files themselves: what each job passes to its reusable stage, what the stage's steps receive, and which outputs come
// back to the later jobs as `needs.<job>.outputs`. Nothing here restates a workflow: change deploy.yml or a stage
// and the rehearsal follows.
import {
  calledWorkflow,
  loadRepo,
  workflowCall,
  type Declared,
  type Job,
  type Repo,
  type Step,
  type Workflow,
} from '@notebook-ship/workflows';
import { evaluateMap, type Contexts } from '@notebook-ship/workflows';

export const DEPLOY_WORKFLOW = '.github/workflows/deploy.yml';

/** The contexts every expression of a push to main sees (besides needs, inputs, steps and jobs). */
export interface RunContext {
  github: Record<string, string>;
  vars: Record<string, string>;
}

/** One job of deploy.yml that calls a reusable stage, with the stage's inputs evaluated. */
export interface StageCall {
  /** The job id in deploy.yml, e.g. `backend`. */
  job: string;
  title: string;
  stage: Workflow;
  /** The stage's own (single) job. */
  stageJobId: string;
  stageJob: Job;
  inputs: Record<string, string>;
  timeoutMinutes: number;
}

export class WorkflowError extends Error {}

export function loadDeployWorkflow(repo: Repo = loadRepo()): { repo: Repo; workflow: Workflow } {
  const workflow = repo.workflows.get(DEPLOY_WORKFLOW);
  if (!workflow) throw new WorkflowError(`${DEPLOY_WORKFLOW} is missing`);
  return { repo, workflow };
}

/** A declared input's default as the runner passes it to an expression: a string. */
const defaultOf = (declared: Declared) => (declared.default === undefined ? undefined : String(declared.default));

/** What `job` of deploy.yml hands its stage, with `contexts` holding github, vars and needs. */
export function stageCall(repo: Repo, workflow: Workflow, job: string, contexts: Contexts): StageCall {
  const caller = workflow.data.jobs[job];
  if (!caller) throw new WorkflowError(`${workflow.path} has no job "${job}"`);
  const stage = calledWorkflow(repo, caller);
  const call = stage && workflowCall(stage);
  if (!stage || !call) throw new WorkflowError(`${workflow.path}: job "${job}" does not call a local reusable workflow`);
  const given = evaluateMap(caller.with, contexts);
  const inputs: Record<string, string> = {};
  for (const [name, declared] of Object.entries(call.inputs)) {
    const value = given[name] ?? defaultOf(declared);
    if (value === undefined && declared.required) {
      throw new WorkflowError(`${workflow.path}: job "${job}" does not give ${stage.path} its required input "${name}"`);
    }
    inputs[name] = value ?? '';
  }
  const unknown = Object.keys(given).filter((name) => !(name in call.inputs));
  if (unknown.length) throw new WorkflowError(`${workflow.path}: job "${job}" gives ${stage.path} unknown inputs ${unknown.join(', ')}`);
  const entries = Object.entries(stage.data.jobs);
  if (entries.length !== 1) throw new WorkflowError(`${stage.path}: the rehearsal plays stages of one job; it has ${entries.length}`);
  const [stageJobId, stageJob] = entries[0] as [string, Job];
  return {
    job,
    title: caller.name ?? job,
    stage,
    stageJobId,
    stageJob,
    inputs,
    timeoutMinutes: stageJob['timeout-minutes'] ?? 360,
  };
}

/** The local action a step uses (`./actions/<name>`), if it uses one. */
export function localAction(step: Step): string | undefined {
  return /^\.\/actions\/([\w-]+)$/.exec(step.uses ?? '')?.[1];
}

/** A step's `with:` and `env:` as the runner evaluates them, with the stage's inputs and the steps before it. */
export function stepValues(step: Step, contexts: Contexts): { with: Record<string, string>; env: Record<string, string> } {
  return { with: evaluateMap(step.with, contexts), env: evaluateMap(step.env, contexts) };
}

/**
 * The outputs a stage call gives back to deploy.yml (`needs.<job>.outputs`): the stage job's `outputs:` from its
 * steps' outputs, then the workflow's `on.workflow_call.outputs` from that job.
 */
export function callOutputs(call: StageCall, steps: Record<string, { outputs: Record<string, string> }>, contexts: Contexts) {
  const jobOutputs = evaluateMap(call.stageJob.outputs, { ...contexts, inputs: call.inputs, steps });
  const declared = workflowCall(call.stage)?.outputs ?? {};
  const values = Object.fromEntries(Object.entries(declared).map(([name, output]) => [name, output.value]));
  return evaluateMap(values, { ...contexts, jobs: { [call.stageJobId]: { outputs: jobOutputs, result: 'success' } } });
}
