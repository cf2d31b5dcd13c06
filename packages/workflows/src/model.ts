// The workflows and the actions' metadata, parsed with the `yaml` package, plus the few lookups the contract checks
// share: which action or stage a step or job uses, the expressions it holds, and what outputs it declares.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument, visit, type Document } from 'yaml';

export const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
export const WORKFLOWS_DIR = '.github/workflows';

export type Permissions = 'read-all' | 'write-all' | Record<string, string>;

export interface Step {
  id?: string;
  name?: string;
  uses?: string;
  run?: string;
  if?: unknown;
  with?: Record<string, unknown>;
  env?: Record<string, unknown>;
}

export interface Job {
  name?: string;
  uses?: string;
  with?: Record<string, unknown>;
  secrets?: Record<string, unknown> | 'inherit';
  needs?: string | string[];
  if?: unknown;
  permissions?: Permissions;
  environment?: unknown;
  outputs?: Record<string, unknown>;
  concurrency?: unknown;
  'timeout-minutes'?: number;
  steps?: Step[];
}

export interface Declared {
  description?: string;
  type?: string;
  required?: boolean;
  default?: unknown;
  value?: string;
}

export interface WorkflowData {
  name?: string;
  on: Record<string, unknown>;
  permissions?: Permissions;
  concurrency?: unknown;
  jobs: Record<string, Job>;
}

export interface Workflow {
  /** Path from the repository root, e.g. `.github/workflows/deploy.yml`. */
  path: string;
  /** How a job calls it: `./.github/workflows/deploy.yml`. */
  ref: string;
  doc: Document;
  data: WorkflowData;
}

export interface ActionMeta {
  path: string;
  inputs: Record<string, Declared>;
  outputs: Record<string, Declared>;
}

export interface Repo {
  workflows: Map<string, Workflow>;
  /** By how a step uses it: `./actions/deploy-ecs`. */
  actions: Map<string, ActionMeta>;
  /** Names of the outputs declared in terraform/outputs.tf. */
  terraformOutputs: Set<string>;
}

/** Every file the contract reads, by path from the repository root. */
export function readRepoFiles(): Map<string, string> {
  const files = new Map<string, string>();
  const read = (path: string) => files.set(path, readFileSync(join(repoRoot, path), 'utf8'));
  for (const name of readdirSync(join(repoRoot, WORKFLOWS_DIR)).filter((file) => /\.ya?ml$/.test(file)).sort()) {
    read(`${WORKFLOWS_DIR}/${name}`);
  }
  for (const name of readdirSync(join(repoRoot, 'actions')).sort()) {
    for (const file of ['action.yml', 'action.yaml']) {
      try {
        read(`actions/${name}/${file}`);
      } catch {
        // Not every folder has both spellings; a folder without metadata is reported by the checks that use it.
      }
    }
  }
  read('terraform/outputs.tf');
  return files;
}

export function loadRepo(files: Map<string, string> = readRepoFiles()): Repo {
  const workflows = new Map<string, Workflow>();
  const actions = new Map<string, ActionMeta>();
  for (const [path, text] of files) {
    if (path.startsWith(`${WORKFLOWS_DIR}/`)) {
      const doc = parse(path, text);
      workflows.set(path, { path, ref: `./${path}`, doc, data: doc.toJS() as WorkflowData });
    } else if (/^actions\/[^/]+\/action\.ya?ml$/.test(path)) {
      const data = parse(path, text).toJS() as { inputs?: Record<string, Declared>; outputs?: Record<string, Declared> };
      actions.set(`./${path.replace(/\/action\.ya?ml$/, '')}`, {
        path,
        inputs: data.inputs ?? {},
        outputs: data.outputs ?? {},
      });
    }
  }
  const outputsTf = files.get('terraform/outputs.tf') ?? '';
  const terraformOutputs = new Set([...outputsTf.matchAll(/^output\s+"([\w-]+)"/gm)].map((match) => match[1] as string));
  return { workflows, actions, terraformOutputs };
}

function parse(path: string, text: string): Document {
  const doc = parseDocument(text);
  if (doc.errors.length) throw new Error(`${path}: ${doc.errors.map((error) => error.message).join('; ')}`);
  return doc;
}

/** The workflow a job calls, when it calls a local one. */
export function calledWorkflow(repo: Repo, job: Job): Workflow | undefined {
  return job.uses?.startsWith('./') ? repo.workflows.get(job.uses.slice(2)) : undefined;
}

export function workflowCall(workflow: Workflow): {
  inputs: Record<string, Declared>;
  outputs: Record<string, Declared>;
  secrets: Record<string, Declared>;
} | undefined {
  const on = workflow.data.on;
  if (!on || typeof on !== 'object' || !('workflow_call' in on)) return undefined;
  const call = (on.workflow_call ?? {}) as Record<string, Record<string, Declared> | undefined>;
  return { inputs: call.inputs ?? {}, outputs: call.outputs ?? {}, secrets: call.secrets ?? {} };
}

export function isReusable(workflow: Workflow): boolean {
  return workflowCall(workflow) !== undefined;
}

export function needsOf(job: Job): string[] {
  if (job.needs === undefined) return [];
  return Array.isArray(job.needs) ? job.needs : [job.needs];
}

/** Every job a job waits for, directly or through others. */
export function ancestors(workflow: Workflow, id: string): Set<string> {
  const seen = new Set<string>();
  const visitJob = (current: string) => {
    for (const need of needsOf(workflow.data.jobs[current] ?? {})) {
      if (!seen.has(need)) {
        seen.add(need);
        visitJob(need);
      }
    }
  };
  visitJob(id);
  return seen;
}

/** The text of every `${{ }}` in a value (any depth), and `if:` conditions, which need no `${{ }}`. */
export function expressions(value: unknown, key?: string): string[] {
  if (typeof value === 'string') {
    const wrapped = [...value.matchAll(/\$\{\{([\s\S]*?)\}\}/g)].map((match) => (match[1] as string).trim());
    return key === 'if' && !wrapped.length ? [value.trim()] : wrapped;
  }
  if (Array.isArray(value)) return value.flatMap((item) => expressions(item));
  if (value && typeof value === 'object') {
    return Object.entries(value).flatMap(([name, item]) => expressions(item, name));
  }
  return [];
}

export interface Reference {
  kind: 'needs' | 'steps' | 'jobs';
  id: string;
  output: string;
}

/** `needs.<id>.outputs.<name>`, `steps.<id>.outputs.<name>`, `jobs.<id>.outputs.<name>` in an expression. */
export function outputReferences(expression: string): Reference[] {
  return [...expression.matchAll(/\b(needs|steps|jobs)\.([A-Za-z_][\w-]*)\.outputs\.([A-Za-z_][\w-]*)/g)].map(
    (match) => ({ kind: match[1] as Reference['kind'], id: match[2] as string, output: match[3] as string }),
  );
}

/** Output names a `run:` script writes to $GITHUB_OUTPUT (`echo "name=..."` or a `name<<EOF` heredoc). */
export function runOutputs(script: string): Set<string> {
  const names = new Set<string>();
  for (const line of script.split('\n').filter((text) => text.includes('GITHUB_OUTPUT'))) {
    for (const match of line.matchAll(/(?:echo|printf)\s+(?:-\w+\s+)?["']?([A-Za-z_][\w-]*)(?:=|<<)/g)) {
      names.add(match[1] as string);
    }
  }
  return names;
}

/** The declared outputs of what a step runs: a local action's metadata, or what its script writes. */
export function stepOutputs(repo: Repo, step: Step): Set<string> | undefined {
  if (step.run !== undefined) return runOutputs(step.run);
  const action = step.uses?.startsWith('./') ? repo.actions.get(step.uses) : undefined;
  return action ? new Set(Object.keys(action.outputs)) : undefined;
}

export interface UsesEntry {
  uses: string;
  /** The comment after it on the same line, without `#`. */
  comment: string;
}

/** Every `uses:` of a workflow with its trailing comment (the version of a pinned action). */
export function usesEntries(workflow: Workflow): UsesEntry[] {
  const entries: UsesEntry[] = [];
  visit(workflow.doc, {
    Pair(_, pair) {
      const key = pair.key as { value?: unknown } | null;
      const value = pair.value as { value?: unknown; comment?: string | null } | null;
      if (key?.value === 'uses' && typeof value?.value === 'string') {
        entries.push({ uses: value.value, comment: (value.comment ?? '').trim() });
      }
    },
  });
  return entries;
}

/** Local actions a job runs, directly or through the stage it calls. */
export function actionsRun(repo: Repo, job: Job): string[] {
  const called = calledWorkflow(repo, job);
  if (called) return Object.values(called.data.jobs).flatMap((inner) => actionsRun(repo, inner));
  return (job.steps ?? []).flatMap((step) => (step.uses ? [step.uses] : []));
}

export const CONFIGURE_AWS = 'aws-actions/configure-aws-credentials';

export function isConfigureAws(uses: string | undefined): boolean {
  return uses?.split('@')[0] === CONFIGURE_AWS;
}

/** The stage a job calls, by file name (`stage-smoke-test.yml`), or undefined. */
export function stageOf(job: Job): string | undefined {
  return job.uses?.startsWith(`./${WORKFLOWS_DIR}/`) ? job.uses.slice(WORKFLOWS_DIR.length + 3) : undefined;
}

/** Ids of the jobs of a workflow that call the given stage file. */
export function jobsCalling(workflow: Workflow, stage: string): string[] {
  return Object.entries(workflow.data.jobs)
    .filter(([, job]) => stageOf(job) === stage)
    .map(([id]) => id);
}

export function workflowNamed(repo: Repo, file: string): Workflow {
  const workflow = repo.workflows.get(`${WORKFLOWS_DIR}/${file}`);
  if (!workflow) throw new Error(`${WORKFLOWS_DIR}/${file} is missing`);
  return workflow;
}
