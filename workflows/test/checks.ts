// The contract issue 12 asks of the workflows, one named check each; a check returns what is wrong (empty: nothing).
// contract.test.ts runs them on the real files; mistakes.test.ts proves each one catches the mistake it guards against.
import {
  actionsRun,
  ancestors,
  calledWorkflow,
  expressions,
  isConfigureAws,
  isReusable,
  jobsCalling,
  needsOf,
  outputReferences,
  stageOf,
  stepOutputs,
  usesEntries,
  workflowCall,
  workflowNamed,
  type Job,
  type Permissions,
  type Repo,
  type Step,
  type Workflow,
} from '@notebook-ship/workflows';

export type Check = (repo: Repo) => string[];

const TERRAFORM = 'stage-terraform.yml';
const BUILD = 'stage-build-image.yml';
const BACKEND = 'stage-deploy-backend.yml';
const FRONTEND = 'stage-publish-frontend.yml';
const SMOKE = 'stage-smoke-test.yml';
const ROLE_VARIABLE = '${{ vars.DEPLOY_ROLE_ARN }}';
const SHA = '${{ github.sha }}';

/** Stage inputs that name AWS resources, and the terraform stage output each must come from. */
const FROM_TERRAFORM: Record<string, string> = {
  'aws-region': 'aws-region',
  repository: 'ecr-repository-url',
  'cache-ref': 'ecr-cache-ref',
  cluster: 'ecs-cluster-name',
  service: 'ecs-service-name',
  'container-name': 'ecs-container-name',
  'base-task-definition-arn': 'ecs-task-definition-arn',
  'kernel-task-definition-arn': 'ecs-kernel-task-definition-arn',
  bucket: 'spa-bucket-name',
  'distribution-id': 'cloudfront-distribution-id',
  url: 'app-url',
  'access-token-secret-arn': 'access-token-secret-arn',
};

interface JobAt {
  workflow: Workflow;
  id: string;
  job: Job;
  where: string;
}

function jobs(repo: Repo): JobAt[] {
  return [...repo.workflows.values()].flatMap((workflow) =>
    Object.entries(workflow.data.jobs ?? {}).map(([id, job]) => ({ workflow, id, job, where: `${workflow.path} job ${id}` })),
  );
}

function steps(repo: Repo): (JobAt & { step: Step; index: number; at: string })[] {
  return jobs(repo).flatMap((entry) =>
    (entry.job.steps ?? []).map((step, index) => ({
      ...entry,
      step,
      index,
      at: `${entry.where} step ${step.id ?? step.name ?? step.uses ?? index + 1}`,
    })),
  );
}

const isExpression = (value: unknown) => typeof value === 'string' && value.includes('${{');

/** Given in `with:` (a default in the metadata counts as given). */
function missingRequired(declared: Record<string, { required?: boolean; default?: unknown }>, given: object): string[] {
  return Object.entries(declared)
    .filter(([name, input]) => input.required === true && input.default === undefined && !(name in given))
    .map(([name]) => name);
}

const LEVELS = { none: 0, read: 1, write: 2 } as const;

function level(permissions: Permissions | undefined, scope: string): number {
  if (permissions === undefined) return -1; // inherited
  if (permissions === 'write-all') return LEVELS.write;
  if (permissions === 'read-all') return LEVELS.read;
  return LEVELS[(permissions[scope] ?? 'none') as keyof typeof LEVELS] ?? LEVELS.none;
}

function writeScopes(permissions: Permissions | undefined): string[] {
  if (permissions === undefined) return [];
  if (permissions === 'write-all') return ['every scope (write-all)'];
  if (permissions === 'read-all') return [];
  return Object.entries(permissions)
    .filter(([, value]) => value === 'write')
    .map(([scope]) => scope);
}

/** What a job may do with its token: its own permissions, else the workflow's. */
function granted(workflow: Workflow, job: Job): Permissions | undefined {
  return job.permissions ?? workflow.data.permissions;
}

function callsAws(repo: Repo, job: Job): boolean {
  return actionsRun(repo, job).some(isConfigureAws);
}

/** Runs ./actions/terraform-cloud with a command that writes the plan comment (plan, or apply's result). */
function writesPlanComment(repo: Repo, job: Job): boolean {
  if (stageOf(job) === TERRAFORM) return job.with?.command !== 'outputs';
  return (job.steps ?? []).some((step) => step.uses === './actions/terraform-cloud' && step.with?.command !== 'outputs');
}

/** Why the `if:` of a rollback job would not start it exactly when a later job failed and `changed` holds. */
function onlyAfterFailureWhen(condition: unknown, changed: string): string | undefined {
  const text = typeof condition === 'string' ? condition.replace(/^\$\{\{|\}\}$/g, '').replace(/\s+/g, ' ') : '';
  if (!/^\s*failure\(\)/.test(text)) {
    return 'its if: must start with failure(): without it GitHub skips it after a failed job, and always() also runs it after a good deploy';
  }
  if (!text.includes(changed)) return `its if: must require ${changed} (only what changed goes back)`;
  return undefined;
}

function only(list: string[], what: string, problems: string[]): string | undefined {
  if (list.length !== 1) problems.push(`expected exactly one ${what}, found ${list.length ? list.join(', ') : 'none'}`);
  return list[0];
}

/** The backend stage, its steps, and the one that runs deploy-ecs. */
function backendStage(repo: Repo) {
  const stage = workflowNamed(repo, BACKEND);
  const list = Object.values(stage.data.jobs).flatMap((job) => job.steps ?? []);
  return { stage, list, deploy: list.find((step) => step.uses === './actions/deploy-ecs') };
}

const needsOutput = (job: string, output: string) => `\${{ needs.${job}.outputs.${output} }}`;

/** The forward stages of deploy.yml (a rollback job passes task-definition-arn or rollback-to instead). */
function deployJobs(repo: Repo, problems: string[]) {
  const workflow = workflowNamed(repo, 'deploy.yml');
  const all = workflow.data.jobs;
  const pick = (stage: string, forward: (job: Job) => boolean, what: string) =>
    only(jobsCalling(workflow, stage).filter((id) => forward(all[id] as Job)), what, problems);
  return {
    workflow,
    terraform: pick(TERRAFORM, (job) => job.with?.command === 'apply', `job calling ${TERRAFORM} with command: apply`),
    image: pick(BUILD, () => true, `job calling ${BUILD}`),
    backend: pick(BACKEND, (job) => !job.with?.['task-definition-arn'], `forward job calling ${BACKEND}`),
    frontend: pick(FRONTEND, (job) => !job.with?.['rollback-to'], `forward job calling ${FRONTEND}`),
    smoke: pick(SMOKE, (job) => job.with?.['expected-version'] === SHA, `job calling ${SMOKE} expecting ${SHA}`),
  };
}

export const checks: Record<string, Check> = {
  'every local action step passes only its inputs, and all its required ones': (repo) =>
    steps(repo)
      .filter(({ step }) => step.uses?.startsWith('./'))
      .flatMap(({ step, at }) => {
        const action = repo.actions.get(step.uses as string);
        if (!action) return [`${at}: ${step.uses} has no action.yml`];
        const given = step.with ?? {};
        return [
          ...Object.keys(given)
            .filter((key) => !(key in action.inputs))
            .map((key) => `${at}: "${key}" is not an input of ${step.uses}`),
          ...missingRequired(action.inputs, given).map((name) => `${at}: required input "${name}" of ${step.uses} is not given`),
        ];
      }),

  'every stage call passes only declared inputs and secrets, all required ones, of the declared types': (repo) =>
    jobs(repo)
      .filter(({ job }) => job.uses?.startsWith('./'))
      .flatMap(({ job, where }) => {
        const called = calledWorkflow(repo, job);
        const call = called && workflowCall(called);
        if (!call) return [`${where}: ${job.uses} is not a reusable workflow (on: workflow_call) of this repository`];
        const given = job.with ?? {};
        const problems = Object.entries(given).flatMap(([key, value]) => {
          const input = call.inputs[key];
          if (!input) return [`${where}: "${key}" is not an input of ${job.uses}`];
          if (isExpression(value) || typeof value === input.type) return [];
          return [`${where}: input "${key}" is a ${input.type} but is given ${JSON.stringify(value)}`];
        });
        problems.push(...missingRequired(call.inputs, given).map((name) => `${where}: required input "${name}" is not given`));
        if (job.secrets === 'inherit') return [...problems, `${where}: passes every secret (inherit); pass the declared ones`];
        const secrets = job.secrets ?? {};
        problems.push(
          ...Object.keys(secrets)
            .filter((key) => !(key in call.secrets))
            .map((key) => `${where}: secret "${key}" is not declared by ${job.uses}`),
          ...missingRequired(call.secrets, secrets).map((name) => `${where}: required secret "${name}" is not passed`),
        );
        return problems;
      }),

  'every stage output maps to an output its job declares': (repo) =>
    [...repo.workflows.values()].flatMap((workflow) =>
      Object.entries(workflowCall(workflow)?.outputs ?? {}).flatMap(([name, output]) => {
        const references = outputReferences(output.value ?? '').filter((reference) => reference.kind === 'jobs');
        if (!references.length) return [`${workflow.path}: output "${name}" does not come from a job output`];
        return references
          .filter(({ id, output: key }) => !(key in (workflow.data.jobs[id]?.outputs ?? {})))
          .map(({ id, output: key }) => `${workflow.path}: output "${name}" reads jobs.${id}.outputs.${key}, which is not declared`);
      }),
    ),

  'every needs.* reference names a direct need, and an output that job or stage declares': (repo) =>
    jobs(repo).flatMap(({ workflow, job, where }) => {
      const needs = needsOf(job);
      const text = expressions(job).join('\n');
      const results = [...text.matchAll(/\bneeds\.([A-Za-z_][\w-]*)\.result\b/g)].map((match) => match[1] as string);
      return [
        ...results.filter((id) => !needs.includes(id)).map((id) => `${where}: reads needs.${id}.result but does not need ${id}`),
        ...outputReferences(text)
          .filter((reference) => reference.kind === 'needs')
          .flatMap(({ id, output }) => {
            if (!needs.includes(id)) return [`${where}: reads needs.${id}.outputs.${output} but does not need ${id}`];
            const needed = workflow.data.jobs[id] as Job;
            const called = calledWorkflow(repo, needed);
            const declared = called ? workflowCall(called)?.outputs : needed.outputs;
            return output in (declared ?? {}) ? [] : [`${where}: needs.${id}.outputs.${output} is not an output of ${id}`];
          }),
      ];
    }),

  'every steps.* reference names an earlier step, and an output it declares': (repo) =>
    jobs(repo).flatMap(({ job, where }) => {
      const list = job.steps ?? [];
      const index = new Map(list.flatMap((step, at) => (step.id ? [[step.id, at] as const] : [])));
      const check = (text: string, before: number, place: string) =>
        outputReferences(text)
          .filter((reference) => reference.kind === 'steps')
          .flatMap(({ id, output }) => {
            const at = index.get(id);
            if (at === undefined || at >= before) return [`${place}: steps.${id} is not an earlier step with that id`];
            const outputs = stepOutputs(repo, list[at] as Step);
            if (!outputs) return [`${place}: the outputs of ${list[at]?.uses} (steps.${id}) are not known here`];
            return outputs.has(output) ? [] : [`${place}: steps.${id}.outputs.${output} is not an output of that step`];
          });
      const jobLevel = { ...job, steps: undefined };
      return [
        ...new Set([
          ...check(expressions(jobLevel).join('\n'), list.length, where),
          ...list.flatMap((step, at) => check(expressions(step).join('\n'), at, `${where} step ${step.id ?? at + 1}`)),
        ]),
      ];
    }),

  'every inputs.* and stage secrets.* reference is declared': (repo) =>
    [...repo.workflows.values()].flatMap((workflow) => {
      const call = workflowCall(workflow);
      const dispatch = (workflow.data.on?.workflow_dispatch ?? {}) as { inputs?: Record<string, unknown> };
      const declared = new Set([...Object.keys(call?.inputs ?? {}), ...Object.keys(dispatch.inputs ?? {})]);
      const text = expressions(workflow.data.jobs).join('\n');
      const problems = [...text.matchAll(/\binputs\.([A-Za-z_][\w-]*)/g)]
        .map((match) => match[1] as string)
        .filter((name) => !declared.has(name))
        .map((name) => `${workflow.path}: inputs.${name} is not a declared input`);
      if (call) {
        problems.push(
          ...[...text.matchAll(/\bsecrets\.([A-Za-z_][\w-]*)/g)]
            .map((match) => match[1] as string)
            .filter((name) => name !== 'GITHUB_TOKEN' && !(name in call.secrets))
            .map((name) => `${workflow.path}: secrets.${name} is not a declared secret of the stage`),
        );
      }
      return [...new Set(problems)];
    }),

  'the Terraform outputs the stages hand on are declared in terraform/outputs.tf': (repo) => {
    const workflow = workflowNamed(repo, TERRAFORM);
    const job = Object.values(workflow.data.jobs)[0] ?? {};
    const read = Object.values(job.outputs ?? {}).flatMap((value) =>
      [...String(value).matchAll(/fromJSON\([^)]*\)\.([A-Za-z_]\w*)/g)].map((match) => match[1] as string),
    );
    const listed = (name: 'REQUIRED' | 'OPTIONAL') =>
      (job.steps ?? []).flatMap((step) => String(step.env?.[name] ?? '').split(/\s+/)).filter(Boolean);
    const required = listed('REQUIRED');
    // Outputs that are null (so absent) unless a Terraform setting turns on what they name.
    const optional = listed('OPTIONAL');
    const problems = [...read, ...required, ...optional]
      .filter((name) => !repo.terraformOutputs.has(name))
      .map((name) => `${workflow.path}: reads the Terraform output "${name}", which terraform/outputs.tf does not declare`);
    if (!read.length) problems.push(`${workflow.path}: hands on no Terraform output`);
    problems.push(
      ...read
        .filter((name) => !required.includes(name) && !optional.includes(name))
        .map((name) => `${workflow.path}: hands on "${name}" without checking it is there (REQUIRED, or OPTIONAL if it may be null)`),
    );
    return problems;
  },

  'third-party actions are pinned to a full commit SHA with the version in a comment': (repo) => {
    const pins = new Map<string, string>();
    return [...repo.workflows.values()].flatMap((workflow) =>
      usesEntries(workflow)
        .filter(({ uses }) => !uses.startsWith('./'))
        .flatMap(({ uses, comment }) => {
          const [action, ref = ''] = uses.split('@');
          if (!/^[0-9a-f]{40}$/.test(ref)) return [`${workflow.path}: ${uses} is not pinned to a full commit SHA`];
          if (!/^v\d+(\.\d+)*$/.test(comment)) return [`${workflow.path}: ${uses} has no "# vX.Y.Z" version comment`];
          const pin = `${ref} # ${comment}`;
          const earlier = pins.get(action as string);
          pins.set(action as string, earlier ?? pin);
          return earlier && earlier !== pin ? [`${workflow.path}: ${action} is pinned to ${pin} here, ${earlier} elsewhere`] : [];
        }),
    );
  },

  'token permissions are minimal: none by default, writes only where they are used': (repo) => {
    const problems: string[] = [];
    for (const workflow of repo.workflows.values()) {
      const top = workflow.data.permissions;
      if (top === undefined && !isReusable(workflow)) {
        problems.push(`${workflow.path}: no top-level permissions (the repository default may grant writes)`);
      }
      problems.push(...writeScopes(top).map((scope) => `${workflow.path}: top-level permissions grant ${scope}: write`));
    }
    for (const { workflow, job, where } of jobs(repo)) {
      const allowed = new Set([
        ...(callsAws(repo, job) ? ['id-token'] : []),
        ...(writesPlanComment(repo, job) ? ['pull-requests'] : []),
      ]);
      problems.push(
        ...writeScopes(job.permissions)
          .filter((scope) => !allowed.has(scope))
          .map((scope) => `${where}: grants ${scope}: write, which it does not use`),
      );
      const grant = granted(workflow, job);
      // A stage job without permissions gets its caller's; the caller is checked against what the stage uses.
      if (job.steps && grant !== undefined && callsAws(repo, job) && level(grant, 'id-token') < LEVELS.write) {
        problems.push(`${where}: configures AWS credentials without id-token: write (OIDC needs it)`);
      }
      if (!isReusable(workflow) && writesPlanComment(repo, job) && level(grant, 'pull-requests') < LEVELS.write) {
        problems.push(`${where}: writes the plan comment without pull-requests: write`);
      }
      const called = calledWorkflow(repo, job);
      for (const [innerId, inner] of Object.entries(called?.data.jobs ?? {})) {
        const asked = inner.permissions;
        if (asked === undefined || typeof asked === 'string') continue;
        for (const [scope, value] of Object.entries(asked)) {
          if (level(grant, scope) < LEVELS[value as keyof typeof LEVELS]) {
            problems.push(`${where}: ${job.uses} job ${innerId} asks for ${scope}: ${value}, more than this job grants`);
          }
        }
      }
    }
    return problems;
  },

  'deploys and rollbacks share one production concurrency group that never cancels a running one': (repo) => {
    const problems: string[] = [];
    const groups = ['deploy.yml', 'rollback.yml'].map((file) => {
      const workflow = workflowNamed(repo, file);
      const concurrency = workflow.data.concurrency as { group?: unknown; 'cancel-in-progress'?: unknown } | undefined;
      if (!concurrency || typeof concurrency !== 'object' || typeof concurrency.group !== 'string' || !concurrency.group) {
        problems.push(`${workflow.path}: no workflow-level concurrency group`);
        return undefined;
      }
      if (isExpression(concurrency.group)) problems.push(`${workflow.path}: the concurrency group must be one fixed name`);
      if (concurrency['cancel-in-progress'] !== false) {
        problems.push(`${workflow.path}: concurrency must say cancel-in-progress: false (a deploy is never cut short)`);
      }
      return concurrency.group;
    });
    if (groups[0] && groups[1] && groups[0] !== groups[1]) {
      problems.push(`deploy.yml (${groups[0]}) and rollback.yml (${groups[1]}) use different concurrency groups`);
    }
    for (const workflow of [...repo.workflows.values()].filter(isReusable)) {
      const own = [workflow.data.concurrency, ...Object.values(workflow.data.jobs).map((job) => job.concurrency)];
      if (own.some((value) => value !== undefined)) {
        problems.push(`${workflow.path}: a stage must not set concurrency (the caller's group covers it; its own could deadlock)`);
      }
    }
    return problems;
  },

  'deploy.yml runs apply → image → backend → front end → smoke test on push to main and on demand': (repo) => {
    const problems: string[] = [];
    const { workflow, terraform, image, backend, frontend, smoke } = deployJobs(repo, problems);
    const on = workflow.data.on ?? {};
    const push = (on.push ?? {}) as { branches?: string[] };
    if (!push.branches?.includes('main')) problems.push('deploy.yml: does not run on push to main');
    if (!('workflow_dispatch' in on)) problems.push('deploy.yml: cannot be started by hand (workflow_dispatch)');
    const job = (id: string | undefined) => (id ? (workflow.data.jobs[id] as Job) : undefined);
    const after = (id: string | undefined, before: string | undefined) => {
      if (id && before && !ancestors(workflow, id).has(before)) problems.push(`deploy.yml: ${id} does not wait for ${before}`);
    };
    after(image, terraform);
    after(backend, image);
    after(frontend, backend);
    after(smoke, frontend);
    const expect = (id: string | undefined, key: string, value: string) => {
      const given = job(id)?.with?.[key];
      if (id && given !== value) problems.push(`deploy.yml: ${id} passes ${key}: ${JSON.stringify(given)}, expected ${value}`);
    };
    if (image) expect(backend, 'image', needsOutput(image, 'image'));
    expect(backend, 'app-version', SHA);
    expect(frontend, 'api-base-url', '');
    expect(smoke, 'expected-version', SHA);
    return problems;
  },

  'the build cache lives in the mutable cache repository from Terraform, never in the immutable image repository': (
    repo,
  ) => {
    const problems: string[] = [];
    const stage = workflowNamed(repo, BUILD);
    const input = workflowCall(stage)?.inputs['cache-ref'];
    if (input?.required !== true) problems.push(`${stage.path}: cache-ref must be a required input`);
    // Without cache-ref, build-push-image keeps its cache as a tag of the image repository, whose tags are immutable.
    for (const { workflow, step, at } of steps(repo).filter(({ step }) => step.uses === './actions/build-push-image')) {
      const given = step.with?.['cache-ref'];
      if (String(step.with?.cache) === 'false') continue;
      const expected = workflow === stage ? '${{ inputs.cache-ref }}' : undefined;
      if (!given || (expected && given !== expected)) {
        problems.push(`${at}: passes cache-ref: ${JSON.stringify(given)}, expected ${expected ?? 'the ecr_cache_ref output'}`);
      }
    }
    const { workflow, terraform, image } = deployJobs(repo, problems);
    const given = image ? workflow.data.jobs[image]?.with?.['cache-ref'] : undefined;
    if (terraform && image && given !== needsOutput(terraform, 'ecr-cache-ref')) {
      problems.push(`deploy.yml: ${image} passes cache-ref: ${JSON.stringify(given)}, expected ${needsOutput(terraform, 'ecr-cache-ref')}`);
    }
    return problems;
  },

  'every stage call names AWS resources from the Terraform outputs, never hard-coded': (repo) =>
    ['deploy.yml', 'rollback.yml'].flatMap((file) => {
      const workflow = workflowNamed(repo, file);
      const terraform = jobsCalling(workflow, TERRAFORM)[0];
      if (!terraform) return [`${workflow.path}: no job reads the Terraform outputs`];
      return Object.entries(workflow.data.jobs).flatMap(([id, job]) =>
        Object.entries(job.with ?? {})
          .filter(([key]) => key in FROM_TERRAFORM)
          .filter(([key, value]) => value !== needsOutput(terraform, FROM_TERRAFORM[key] as string))
          .map(([key, value]) => `${workflow.path} job ${id}: ${key} is ${JSON.stringify(value)}, not the Terraform output`),
      );
    }),

  'the production environment gates every deploy and rollback before anything changes': (repo) => {
    const problems: string[] = [];
    const stageJob = Object.values(workflowNamed(repo, TERRAFORM).data.jobs)[0];
    if (stageJob?.environment !== '${{ inputs.environment }}') {
      problems.push(`${TERRAFORM}: its job does not run in the environment it is given`);
    }
    for (const file of ['deploy.yml', 'rollback.yml']) {
      const workflow = workflowNamed(repo, file);
      const gate = jobsCalling(workflow, TERRAFORM)[0];
      if (!gate || workflow.data.jobs[gate]?.with?.environment !== 'production') {
        problems.push(`${workflow.path}: the Terraform job does not run in the production environment`);
        continue;
      }
      for (const id of Object.keys(workflow.data.jobs).filter((other) => other !== gate)) {
        if (!ancestors(workflow, id).has(gate)) problems.push(`${workflow.path}: ${id} does not wait for the ${gate} gate`);
      }
    }
    return problems;
  },

  // A repository secret reaches every workflow run, pull requests' included, and those run the pull request's own
  // workflow and action code: the token that applies must be an environment secret, which only a job of that
  // environment (after its reviewers and branch rules) can read.
  'the apply token is an environment secret of production only; pull requests get the plan-only token': (repo) => {
    const problems: string[] = [];
    for (const { workflow, where, job } of jobs(repo)) {
      const passed = job.secrets && job.secrets !== 'inherit' ? Object.keys(job.secrets) : [];
      if (passed.includes('TF_API_TOKEN')) problems.push(`${where}: passes TF_API_TOKEN, which only the production environment may hold`);
      if (workflow.path.endsWith(`/${TERRAFORM}`)) continue;
      if (/\bsecrets\.TF_API_TOKEN\b/.test(expressions(job).join('\n'))) {
        problems.push(`${where}: reads secrets.TF_API_TOKEN outside the environment job of ${TERRAFORM}`);
      }
    }
    const stage = workflowNamed(repo, TERRAFORM);
    const stageJob = Object.values(stage.data.jobs)[0];
    const token = (stageJob?.steps ?? []).find((step) => step.uses === './actions/terraform-cloud')?.with?.token;
    if (token !== "${{ inputs.command == 'plan' && secrets.TF_PLAN_TOKEN || secrets.TF_API_TOKEN }}") {
      problems.push(`${TERRAFORM}: the token must be TF_PLAN_TOKEN for plans and the environment's TF_API_TOKEN otherwise, not ${JSON.stringify(token)}`);
    }
    const ci = workflowNamed(repo, 'ci.yml');
    for (const id of jobsCalling(ci, TERRAFORM)) {
      const secrets = ci.data.jobs[id]?.secrets;
      if (typeof secrets !== 'object' || secrets.TF_PLAN_TOKEN !== '${{ secrets.TF_PLAN_TOKEN }}') {
        problems.push(`ci.yml job ${id}: the plan must get the plan-only token (TF_PLAN_TOKEN: \${{ secrets.TF_PLAN_TOKEN }})`);
      }
      if (ci.data.jobs[id]?.with?.environment) problems.push(`ci.yml job ${id}: a pull request plan must not run in an environment`);
    }
    return problems;
  },

  'AWS is reached through GitHub OIDC with the role from the DEPLOY_ROLE_ARN variable': (repo) => {
    const problems: string[] = [];
    for (const { workflow, step, at } of steps(repo).filter(({ step }) => isConfigureAws(step.uses))) {
      const given = step.with ?? {};
      for (const key of ['aws-access-key-id', 'aws-secret-access-key', 'aws-session-token']) {
        if (key in given) problems.push(`${at}: passes ${key}: static keys instead of OIDC`);
      }
      const expected = isReusable(workflow) ? '${{ inputs.role-to-assume }}' : ROLE_VARIABLE;
      if (given['role-to-assume'] !== expected) problems.push(`${at}: role-to-assume must be ${expected}`);
      const input = workflowCall(workflow)?.inputs['role-to-assume'];
      if (isReusable(workflow) && input?.required !== true) problems.push(`${workflow.path}: role-to-assume must be a required input`);
    }
    for (const { job, where } of jobs(repo)) {
      const role = job.with?.['role-to-assume'];
      if (role !== undefined && role !== ROLE_VARIABLE) problems.push(`${where}: role-to-assume must be ${ROLE_VARIABLE}`);
      const called = calledWorkflow(repo, job);
      if (called && callsAws(repo, job) && role === undefined) problems.push(`${where}: calls AWS without role-to-assume`);
    }
    return problems;
  },

  'any failure after the backend or the front end changed rolls back what changed, and the run says what production runs': (
    repo,
  ) => {
    const problems: string[] = [];
    const { workflow, backend, frontend, smoke } = deployJobs(repo, problems);
    if (!backend || !frontend || !smoke) return problems;
    const all = workflow.data.jobs;
    const rollback = (stage: string, key: string, source: string, output: string, changed: string, waits: string[]) => {
      const id = only(
        jobsCalling(workflow, stage).filter((candidate) => all[candidate]?.with?.[key]),
        `rollback job calling ${stage} with ${key}`,
        problems,
      );
      const job = id ? all[id] : undefined;
      if (!id || !job) return undefined;
      const why = onlyAfterFailureWhen(job.if, changed);
      if (why) problems.push(`deploy.yml: ${id}: ${why}`);
      for (const need of waits.filter((wait) => !needsOf(job).includes(wait))) {
        problems.push(`deploy.yml: ${id} does not wait for ${need}, whose failure must roll back too`);
      }
      if (!String(job.with?.[key]).includes(`needs.${source}.outputs.${output}`)) {
        problems.push(`deploy.yml: ${id} must pass ${key} from needs.${source}.outputs.${output}`);
      }
      return id;
    };
    const backendBack = rollback(
      BACKEND,
      'task-definition-arn',
      backend,
      'previous-task-definition-arn',
      `needs.${backend}.outputs.deployment-id != ''`,
      [backend, frontend, smoke],
    );
    const frontendBack = rollback(FRONTEND, 'rollback-to', frontend, 'previous-release-id', `needs.${frontend}.result == 'failure'`, [
      frontend,
      smoke,
      ...(backendBack ? [backendBack] : []),
    ]);
    if (!backendBack || !frontendBack) return problems;
    // A publish that failed wrote no outputs: the release to restore is the restored backend's version.
    if (!String(all[frontendBack]?.with?.['rollback-to']).includes(`needs.${backendBack}.outputs.app-version`)) {
      problems.push(`deploy.yml: ${frontendBack} must restore the release of needs.${backendBack}.outputs.app-version after a failed publish`);
    }
    const report = only(
      Object.keys(all).filter((id) => !all[id]?.uses && [backendBack, frontendBack].every((need) => needsOf(all[id] as Job).includes(need))),
      `job reporting the state of production (needing ${backendBack} and ${frontendBack})`,
      problems,
    );
    const job = report ? all[report] : undefined;
    if (!report || !job) return problems;
    if (String(job.if).trim() !== 'always()') problems.push(`deploy.yml: ${report}: its if: must be always(), so every run says what production runs`);
    const text = expressions(job).join('\n');
    for (const [id, output] of [
      [backend, 'deployment-id'],
      [backendBack, 'task-definition-arn'],
      [frontendBack, 'release-id'],
    ]) {
      if (!text.includes(`needs.${id}.outputs.${output}`)) problems.push(`deploy.yml: ${report} does not name ${id}'s ${output}`);
    }
    if (!(job.steps ?? []).some((step) => (step.run ?? '').includes('.github/scripts/production-state.sh'))) {
      problems.push(`deploy.yml: ${report} must run .github/scripts/production-state.sh, which writes the summary and fails the run`);
    }
    return problems;
  },

  'the backend deploy renders Terraform\'s newest task definition, so task settings changed there reach the service': (
    repo,
  ) => {
    const problems: string[] = [];
    const { workflow, terraform, backend } = deployJobs(repo, problems);
    const expected = terraform ? needsOutput(terraform, 'ecs-task-definition-arn') : undefined;
    const given = backend ? workflow.data.jobs[backend]?.with?.['base-task-definition-arn'] : undefined;
    if (backend && expected && given !== expected) {
      problems.push(`deploy.yml: ${backend} passes base-task-definition-arn: ${JSON.stringify(given)}, expected ${expected}`);
    }
    for (const { where, job } of jobs(repo).filter(({ job }) => stageOf(job) === BACKEND)) {
      if (job.with?.['task-definition-arn'] && job.with['base-task-definition-arn']) {
        problems.push(`${where}: passes base-task-definition-arn with task-definition-arn, which deploy-ecs refuses`);
      }
    }
    const { stage, deploy } = backendStage(repo);
    if (deploy?.with?.['base-task-definition'] !== '${{ inputs.base-task-definition-arn }}') {
      problems.push(`${stage.path}: the deploy-ecs step must pass base-task-definition: \${{ inputs.base-task-definition-arn }}`);
    }
    return problems;
  },

  'the backend deploy gives kernel tasks its image, and a rollback the kernels of its revision': (repo) => {
    const problems: string[] = [];
    const { workflow, terraform, backend } = deployJobs(repo, problems);
    const expected = terraform ? needsOutput(terraform, 'ecs-kernel-task-definition-arn') : undefined;
    const given = backend ? workflow.data.jobs[backend]?.with?.['kernel-task-definition-arn'] : undefined;
    if (backend && expected && given !== expected) {
      problems.push(`deploy.yml: ${backend} passes kernel-task-definition-arn: ${JSON.stringify(given)}, expected ${expected}`);
    }
    for (const { where, job } of jobs(repo).filter(({ job }) => stageOf(job) === BACKEND)) {
      if (job.with?.['task-definition-arn'] && job.with['kernel-task-definition-arn']) {
        problems.push(`${where}: passes kernel-task-definition-arn with task-definition-arn, which deploy-ecs refuses`);
      }
    }
    const { stage, deploy } = backendStage(repo);
    if (deploy?.with?.['kernel-task-definition'] !== '${{ inputs.kernel-task-definition-arn }}') {
      problems.push(`${stage.path}: the deploy-ecs step must pass kernel-task-definition: \${{ inputs.kernel-task-definition-arn }}`);
    }
    return problems;
  },

  'a failed first deploy goes back to zero tasks, never to a revision that cannot start': (repo) => {
    const problems: string[] = [];
    const { workflow, backend, smoke } = deployJobs(repo, problems);
    if (!backend || !smoke) return problems;
    const all = workflow.data.jobs;
    const rollback = only(
      jobsCalling(workflow, BACKEND).filter((id) => all[id]?.with?.['task-definition-arn']),
      `rollback job calling ${BACKEND} with task-definition-arn`,
      problems,
    );
    const job = rollback ? all[rollback] : undefined;
    if (!rollback || !job) return problems;
    // Empty previous-task-definition-arn: the service ran no task before this deploy, so there is no revision to
    // go back to; "previous" would find none, and the revision Terraform created the service on cannot start.
    const previous = `needs.${backend}.outputs.previous-task-definition-arn`;
    if (job.with?.['scale-to-zero'] !== `\${{ ${previous} == '' }}`) {
      problems.push(`deploy.yml: ${rollback} must pass scale-to-zero: \${{ ${previous} == '' }}`);
    }
    const revision = String(job.with?.['task-definition-arn']).replace(/\s+/g, ' ').trim();
    if (!revision.startsWith(`\${{ ${previous} != '' && `) || !revision.endsWith(` || '' }}`)) {
      problems.push(
        `deploy.yml: ${rollback} must pass an empty task-definition-arn when ${previous} is empty: ` +
          `\${{ ${previous} != '' && (...) || '' }}`,
      );
    }
    const verify = Object.keys(all).find((id) => stageOf(all[id] as Job) === SMOKE && needsOf(all[id] as Job).includes(rollback));
    const condition = String(verify ? all[verify]?.if : '');
    if (verify && !condition.includes(`needs.${rollback}.outputs.task-definition-arn != ''`)) {
      problems.push(
        `deploy.yml: ${verify} must skip when ${rollback} deployed no revision ` +
          `(needs.${rollback}.outputs.task-definition-arn != ''): a service at zero tasks has nothing to smoke-test`,
      );
    }
    const { stage, list, deploy } = backendStage(repo);
    if (deploy?.with?.['scale-to-zero'] !== '${{ inputs.scale-to-zero }}') {
      problems.push(`${stage.path}: the deploy-ecs step must pass scale-to-zero: \${{ inputs.scale-to-zero }}`);
    }
    const reads = list.filter((step) => step !== deploy && (step.run ?? '').includes('describe-task-definition'));
    for (const step of reads) {
      if (!String(step.if ?? '').includes(`steps.${deploy?.id}.outputs.task-definition-arn != ''`)) {
        problems.push(`${stage.path} step ${step.id ?? step.name}: must skip when no revision was deployed (scale-to-zero)`);
      }
    }
    return problems;
  },

  'rollback.yml rolls back to a chosen revision and release, by default the previous ones, then smoke-tests': (repo) => {
    const problems: string[] = [];
    const workflow = workflowNamed(repo, 'rollback.yml');
    const on = workflow.data.on ?? {};
    const triggers = Object.keys(on);
    if (triggers.join() !== 'workflow_dispatch') problems.push(`rollback.yml: runs on ${triggers.join(', ')}, not only by hand`);
    const inputs = ((on.workflow_dispatch ?? {}) as { inputs?: Record<string, { default?: unknown }> }).inputs ?? {};
    for (const name of ['task-definition', 'spa-release']) {
      if (inputs[name]?.default !== 'previous') problems.push(`rollback.yml: input ${name} must default to previous`);
    }
    const all = workflow.data.jobs;
    const backend = only(jobsCalling(workflow, BACKEND), `job calling ${BACKEND}`, problems);
    const frontend = only(jobsCalling(workflow, FRONTEND), `job calling ${FRONTEND}`, problems);
    const smoke = only(jobsCalling(workflow, SMOKE), `job calling ${SMOKE}`, problems);
    if (backend && all[backend]?.with?.['task-definition-arn'] !== '${{ inputs.task-definition }}') {
      problems.push(`rollback.yml: ${backend} must deploy task-definition-arn: \${{ inputs.task-definition }}`);
    }
    if (backend && all[backend]?.with?.image !== undefined) problems.push(`rollback.yml: ${backend} must not pass an image`);
    if (frontend && all[frontend]?.with?.['rollback-to'] !== '${{ inputs.spa-release }}') {
      problems.push(`rollback.yml: ${frontend} must pass rollback-to: \${{ inputs.spa-release }}`);
    }
    if (smoke && backend && frontend) {
      const job = all[smoke] as Job;
      for (const need of [backend, frontend]) {
        if (!needsOf(job).includes(need)) problems.push(`rollback.yml: ${smoke} does not wait for ${need}`);
      }
      if (job.with?.['expected-version'] !== needsOutput(backend, 'app-version')) {
        problems.push(`rollback.yml: ${smoke} must expect the version rolled back to (${needsOutput(backend, 'app-version')})`);
      }
      if (!/!\s*cancelled\(\)|always\(\)/.test(String(job.if))) {
        problems.push(`rollback.yml: ${smoke} must still run when one part was left alone (skipped)`);
      }
      const reports = Object.keys(all).filter((id) => !all[id]?.uses && needsOf(all[id] as Job).includes(smoke));
      const report = reports.find((id) => String(all[id]?.if).trim() === 'always()');
      const says = (all[report ?? '']?.steps ?? []).some((step) => /## Production: .*GITHUB_STEP_SUMMARY/s.test(step.run ?? ''));
      if (!report || !says) {
        problems.push(`rollback.yml: no job after ${smoke} with if: always() writes "## Production: <state>" into the step summary`);
      }
    }
    return problems;
  },

  'the smoke test reads the access token from Secrets Manager and masks it first': (repo) => {
    const workflow = workflowNamed(repo, SMOKE);
    const list = Object.values(workflow.data.jobs).flatMap((job) => job.steps ?? []);
    const smoke = list.find((step) => step.uses === './actions/smoke-test');
    if (!smoke) return [`${workflow.path}: no step runs ./actions/smoke-test`];
    const reference = outputReferences(String(smoke.with?.['access-token'] ?? '')).find((ref) => ref.kind === 'steps');
    const source = list.find((step) => step.id === reference?.id);
    const script = source?.run ?? '';
    if (!reference || !script.includes('secretsmanager get-secret-value')) {
      return [`${workflow.path}: access-token must come from a step reading it with aws secretsmanager get-secret-value`];
    }
    const mask = script.indexOf('::add-mask::');
    const output = script.indexOf('GITHUB_OUTPUT');
    return mask >= 0 && mask < output ? [] : [`${workflow.path}: the token must be masked (::add-mask::) before it is output`];
  },

  'CI runs every check on pull requests, terraform validate and test on the locked provider, and the plan except for forks': (
    repo,
  ) => {
    const problems: string[] = [];
    const workflow = workflowNamed(repo, 'ci.yml');
    if (!('pull_request' in (workflow.data.on ?? {}))) problems.push('ci.yml: does not run on pull requests');
    const entry = Object.entries(workflow.data.jobs)
      .flatMap(([id, job]) => (job.steps ?? []).map((step, index) => ({ id, job, step, index })))
      .find(({ step }) => /^bash \.ci\/run$/.test((step.run ?? '').trim()));
    if (!entry) problems.push('ci.yml: no job runs .ci/run (npm test with CI=true)');
    if (entry) {
      // With CI=true the terraform-test phase fails unless terraform and a mirror of the locked hashicorp/aws are there.
      const before = (entry.job.steps ?? []).slice(0, entry.index);
      if (!before.some((step) => step.uses?.startsWith('hashicorp/setup-terraform@'))) {
        problems.push(`ci.yml: job ${entry.id} does not set up terraform (hashicorp/setup-terraform) before .ci/run`);
      }
      const mirror = entry.step.env?.TF_PROVIDER_MIRROR;
      const fills = before.find((step) => mirror !== undefined && step.env?.TF_PLUGIN_CACHE_DIR === mirror);
      if (!mirror || !fills) {
        problems.push(`ci.yml: job ${entry.id} must fill a provider mirror (TF_PLUGIN_CACHE_DIR) and give it to .ci/run as TF_PROVIDER_MIRROR`);
      } else if (!/\bterraform\b.*\binit\b.*-lockfile=readonly/.test(fills.run ?? '') || /-upgrade\b/.test(fills.run ?? '')) {
        problems.push(`ci.yml: job ${entry.id} must fill the provider mirror with terraform init -lockfile=readonly (the committed lock)`);
      }
    }
    const plan = only(jobsCalling(workflow, TERRAFORM), `job calling ${TERRAFORM}`, problems);
    const job = plan ? (workflow.data.jobs[plan] as Job) : undefined;
    if (job && job.with?.command !== 'plan') problems.push(`ci.yml: ${plan} must run command: plan`);
    if (job && !/github\.event\.pull_request\.head\.repo\.full_name\s*==\s*github\.repository/.test(String(job.if))) {
      problems.push(`ci.yml: ${plan} must skip pull requests from forks, which get no secrets`);
    }
    return problems;
  },

  'run: scripts take workflow values through env, never ${{ }} (no script injection)': (repo) =>
    steps(repo)
      .filter(({ step }) => step.run?.includes('${{'))
      .map(({ at }) => `${at}: puts \${{ }} into its script; pass the value through env`),

  'every job that runs steps has a timeout': (repo) =>
    jobs(repo)
      .filter(({ job }) => job.steps && !job['timeout-minutes'])
      .map(({ where }) => `${where}: no timeout-minutes (the default is 6 hours)`),
};
