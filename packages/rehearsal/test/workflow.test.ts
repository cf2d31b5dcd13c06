// `npm start` plays deploy.yml as it is: the jobs a push to main runs, in their order, each stage's inputs from the
// job's `with:` evaluated as the runner evaluates them, and the outputs that come back to the later jobs. These run
// on the real workflow files, and on small ones written here for what the real ones never do.
import { describe, expect, it } from '@jest/globals';
import {
  jobOrder,
  jobStarts,
  loadRepo,
  readRepoFiles,
  stepOutputs,
  workflowCall,
  type JobRun,
  type Repo,
  type Workflow,
} from '@notebook-ship/workflows';
import type { Contexts } from '@notebook-ship/workflows';
import {
  callOutputs,
  DEPLOY_WORKFLOW,
  loadDeployWorkflow,
  localAction,
  stageCall,
  stepValues,
  WorkflowError,
  type StageCall,
} from '../src/workflow';

const SHA = '0123456789abcdef0123456789abcdef01234567';
const github = { sha: SHA, ref: 'refs/heads/main', event_name: 'push', workflow: 'Deploy', run_id: '4242', run_attempt: '1' };
const vars = { TF_CLOUD_ORGANIZATION: 'acme', TF_WORKSPACE: 'notebook-ship', DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/deploy' };
// The terraform step's token: `secrets` is a context its `with:` reads.
const secrets = { TF_API_TOKEN: 'tf-token' };

/** The real files with one exact edit, as a commit would make it. */
function edited(file: string, from: string, to: string): Repo {
  const files = readRepoFiles();
  const text = files.get(file) ?? '';
  if (text.split(from).length !== 2) throw new Error(`"${from}" should occur once in ${file}`);
  files.set(file, text.replace(from, to));
  return loadRepo(files);
}

/** The jobs a push to main runs when every job succeeds, in order: each job's if: judged as the runner judges it. */
function goodRun(workflow: Workflow): string[] {
  const runs: Record<string, JobRun> = {};
  return jobOrder(workflow).filter((id) => {
    const { starts } = jobStarts(workflow, id, runs, { github, vars });
    runs[id] = { result: starts ? 'success' : 'skipped', outputs: {} };
    return starts;
  });
}

/**
 * deploy.yml's good run played with stand-in step outputs: each output a step declares is `<job.step.output>`,
 * and the Terraform step's `outputs` JSON holds every output of terraform/outputs.tf as `<tf:name>`.
 */
function playChain(repo: Repo = loadRepo()) {
  const { workflow } = loadDeployWorkflow(repo);
  const needs: Record<string, { outputs: Record<string, string>; result: string }> = {};
  const calls: Record<string, StageCall> = {};
  for (const job of goodRun(workflow).filter((id) => workflow.data.jobs[id]?.uses)) {
    const contexts: Contexts = { github, vars, needs, inputs: {}, secrets };
    const call = stageCall(repo, workflow, job, contexts);
    const steps: Record<string, { outputs: Record<string, string> }> = {};
    for (const step of call.stageJob.steps ?? []) {
      if (!step.id) continue;
      const names = [...(stepOutputs(repo, step) ?? [])];
      const outputs = Object.fromEntries(names.map((name) => [name, `<${job}.${step.id}.${name}>`]));
      if (localAction(step) === 'terraform-cloud') {
        outputs.outputs = JSON.stringify(Object.fromEntries([...repo.terraformOutputs].map((name) => [name, `<tf:${name}>`])));
      }
      steps[step.id] = { outputs };
    }
    calls[job] = call;
    needs[job] = { outputs: callOutputs(call, steps, contexts), result: 'success' };
  }
  return { calls, needs, workflow };
}

/** A repository of workflows written here. */
function repoOf(files: Record<string, string>): { repo: Repo; workflow: Workflow } {
  const repo = loadRepo(new Map(Object.entries(files).map(([name, text]) => [`.github/workflows/${name}`, text])));
  return loadDeployWorkflow(repo);
}

const STAGE = `
on:
  workflow_call:
    inputs:
      cluster: { type: string, required: true }
      image: { type: string, required: false, default: "" }
      timeout-minutes: { type: number, required: false, default: 15 }
      wait: { type: boolean, required: false, default: true }
      note: { type: string, required: false }
jobs:
  deploy:
    runs-on: ubuntu-latest
    steps:
      - run: echo deploying
`;

describe('the jobs a push to main runs', () => {
  it("are deploy.yml's chain in order: terraform, image, backend, frontend, smoke, the state of production; no rollback job", () => {
    const { workflow } = loadDeployWorkflow();
    expect(goodRun(workflow)).toEqual(['terraform', 'image', 'backend', 'frontend', 'smoke', 'production']);
    expect(Object.keys(workflow.data.jobs).filter((id) => !goodRun(workflow).includes(id))).toEqual([
      'rollback-backend',
      'rollback-frontend',
      'smoke-after-rollback',
    ]);
  });

  it('come after the jobs they need, whatever order the file lists them in', () => {
    const { workflow } = repoOf({
      'deploy.yml': `
on: push
jobs:
  smoke: { needs: [frontend, terraform], uses: ./.github/workflows/stage.yml }
  frontend: { needs: backend, uses: ./.github/workflows/stage.yml }
  rollback: { needs: smoke, if: failure(), uses: ./.github/workflows/stage.yml }
  backend: { needs: terraform, uses: ./.github/workflows/stage.yml }
  terraform: { uses: ./.github/workflows/stage.yml }
`,
    });
    expect(goodRun(workflow)).toEqual(['terraform', 'backend', 'frontend', 'smoke']);
  });

  it('are an error when they wait for each other', () => {
    const { workflow } = repoOf({
      'deploy.yml': `
on: push
jobs:
  a: { needs: b, uses: ./.github/workflows/stage.yml }
  b: { needs: a, uses: ./.github/workflows/stage.yml }
`,
    });
    expect(() => goodRun(workflow)).toThrow(`${DEPLOY_WORKFLOW}: the jobs a → b → a wait for each other`);
  });
});

describe('what a job hands its stage', () => {
  const needs = {
    terraform: {
      result: 'success',
      outputs: {
        'aws-region': 'eu-west-1',
        'ecs-cluster-name': 'notebook-ship',
        'ecs-service-name': 'notebook-ship-app',
        'ecs-container-name': 'app',
        'ecs-task-definition-arn': 'arn:aws:ecs:eu-west-1:123456789012:task-definition/notebook-ship:3',
      },
    },
    image: { result: 'success', outputs: { image: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/notebook-ship@sha256:abc' } },
  };

  it("is the backend job's with: evaluated, every other input of the stage at its default", () => {
    const { repo, workflow } = loadDeployWorkflow();
    const call = stageCall(repo, workflow, 'backend', { github, vars, needs, inputs: {} });
    expect(call).toMatchObject({
      job: 'backend',
      title: 'Deploy backend',
      stageJobId: 'deploy',
      timeoutMinutes: 40,
      stage: { path: '.github/workflows/stage-deploy-backend.yml' },
    });
    expect(call.inputs).toMatchObject({
      'role-to-assume': vars.DEPLOY_ROLE_ARN,
      'aws-region': 'eu-west-1',
      cluster: 'notebook-ship',
      service: 'notebook-ship-app',
      'container-name': 'app',
      image: needs.image.outputs.image,
      'app-version': SHA,
      // Defaults, which deploy.yml does not set; a number default comes as its text.
      'task-definition-arn': '',
      'timeout-minutes': '15',
    });
    // Every input the stage declares, and nothing else.
    expect(Object.keys(call.inputs).sort()).toEqual(Object.keys(workflowCall(call.stage)?.inputs ?? {}).sort());
  });

  it('fills the defaults of every type as strings, and leaves an optional input without one empty', () => {
    const { repo, workflow } = repoOf({
      'deploy.yml': 'on: push\njobs:\n  backend:\n    uses: ./.github/workflows/stage.yml\n    with:\n      cluster: ${{ vars.CLUSTER }}\n',
      'stage.yml': STAGE,
    });
    const call = stageCall(repo, workflow, 'backend', { vars: { CLUSTER: 'blue' } });
    expect(call.inputs).toEqual({ cluster: 'blue', image: '', 'timeout-minutes': '15', wait: 'true', note: '' });
    expect(call).toMatchObject({ title: 'backend', stageJobId: 'deploy', timeoutMinutes: 360 });
  });

  it('is an error without a required input, naming the job, the stage and the input', () => {
    const { repo, workflow } = repoOf({
      'deploy.yml': 'on: push\njobs:\n  backend:\n    uses: ./.github/workflows/stage.yml\n    with:\n      image: app:1\n',
      'stage.yml': STAGE,
    });
    expect(() => stageCall(repo, workflow, 'backend', {})).toThrow(
      new WorkflowError(`${DEPLOY_WORKFLOW}: job "backend" does not give .github/workflows/stage.yml its required input "cluster"`),
    );
  });

  it('is an error with an input the stage does not declare', () => {
    const { repo, workflow } = repoOf({
      'deploy.yml': 'on: push\njobs:\n  backend:\n    uses: ./.github/workflows/stage.yml\n    with:\n      cluster: c\n      clusters: c\n      tag: v1\n',
      'stage.yml': STAGE,
    });
    expect(() => stageCall(repo, workflow, 'backend', {})).toThrow(
      new WorkflowError(`${DEPLOY_WORKFLOW}: job "backend" gives .github/workflows/stage.yml unknown inputs clusters, tag`),
    );
  });

  it('is an error for a job that is missing, calls no local stage, or a stage of more than one job', () => {
    const { repo, workflow } = repoOf({
      'deploy.yml': `
on: push
jobs:
  remote: { uses: octo/workflows/.github/workflows/deploy.yml@v1 }
  inline: { runs-on: ubuntu-latest, steps: [{ run: echo }] }
  split: { uses: ./.github/workflows/split.yml }
`,
      'split.yml': 'on:\n  workflow_call: {}\njobs:\n  a: { runs-on: ubuntu-latest, steps: [{ run: echo }] }\n  b: { runs-on: ubuntu-latest, steps: [{ run: echo }] }\n',
    });
    expect(() => stageCall(repo, workflow, 'gone', {})).toThrow(`${DEPLOY_WORKFLOW} has no job "gone"`);
    expect(() => stageCall(repo, workflow, 'remote', {})).toThrow(`${DEPLOY_WORKFLOW}: job "remote" does not call a local reusable workflow`);
    expect(() => stageCall(repo, workflow, 'inline', {})).toThrow(`${DEPLOY_WORKFLOW}: job "inline" does not call a local reusable workflow`);
    expect(() => stageCall(repo, workflow, 'split', {})).toThrow('.github/workflows/split.yml: the rehearsal plays stages of one job; it has 2');
  });
});

describe('the outputs a stage gives back', () => {
  it("are the backend stage's workflow_call outputs, from its job's outputs, from its steps' outputs", () => {
    const { repo, workflow } = loadDeployWorkflow();
    const call = stageCall(repo, workflow, 'backend', { github, vars, needs: {}, inputs: {} });
    const steps = {
      deploy: {
        outputs: {
          'task-definition-arn': 'arn:td/app:7',
          'previous-task-definition-arn': 'arn:td/app:6',
          'deployment-id': 'ecs-svc/1',
          'rollout-state': 'COMPLETED',
        },
      },
      revision: { outputs: { 'app-version': SHA } },
    };
    expect(callOutputs(call, steps, { github, vars })).toEqual({
      'task-definition-arn': 'arn:td/app:7',
      'deployment-id': 'ecs-svc/1',
      'previous-task-definition-arn': 'arn:td/app:6',
      'rollout-state': 'COMPLETED',
      'app-version': SHA,
    });
  });

  it("are the Terraform stage's outputs read from the JSON its step gives, '' for what it lacks", () => {
    const { repo, workflow } = loadDeployWorkflow();
    const contexts = { github, vars, needs: {}, inputs: {} };
    const call = stageCall(repo, workflow, 'terraform', contexts);
    const outputs = { aws_region: 'us-east-1', app_url: 'http://127.0.0.1:8080', ecs_cluster_name: 'notebook-ship' };
    const given = callOutputs(call, { terraform: { outputs: { outputs: JSON.stringify(outputs), status: 'applied' } } }, contexts);
    expect(given).toMatchObject({ status: 'applied', 'aws-region': 'us-east-1', 'app-url': 'http://127.0.0.1:8080', 'ecs-cluster-name': 'notebook-ship', 'spa-bucket-name': '' });
  });

  it('reach the later jobs of the push chain, so each stage gets what the earlier ones gave', () => {
    const { calls, needs } = playChain();
    expect(needs.terraform?.outputs).toMatchObject({ 'app-url': '<tf:app_url>', 'aws-region': '<tf:aws_region>' });
    expect(calls.image?.inputs).toMatchObject({ repository: '<tf:ecr_repository_url>', 'cache-ref': '<tf:ecr_cache_ref>' });
    expect(calls.backend?.inputs).toMatchObject({ image: '<image.image.image>', cluster: '<tf:ecs_cluster_name>', 'app-version': SHA });
    expect(calls.frontend?.inputs).toMatchObject({ bucket: '<tf:spa_bucket_name>', 'api-base-url': '', 'release-id': SHA });
    expect(calls.smoke?.inputs).toMatchObject({ url: '<tf:app_url>', 'access-token-secret-arn': '<tf:access_token_secret_arn>', 'expected-version': SHA });
  });

  it('leave no expression of the push chain empty: every one names something an earlier job or a variable gives', () => {
    const { calls, workflow } = playChain();
    const empty = Object.values(calls).flatMap((call) =>
      Object.entries(workflow.data.jobs[call.job]?.with ?? {})
        .filter(([name, raw]) => String(raw).includes('${{') && call.inputs[name] === '')
        .map(([name]) => `${call.job}.${name}`),
    );
    expect(Object.keys(calls)).toHaveLength(5);
    expect(empty).toEqual([]);
  });
});

describe("a stage step's values", () => {
  it("are its with: and env: evaluated with the stage's inputs and the earlier steps", () => {
    const { calls } = playChain();
    const call = calls.backend as StageCall;
    const contexts = { github, vars, inputs: call.inputs, steps: { deploy: { outputs: { 'task-definition-arn': 'arn:td/app:7' } } } };
    const [deploy, revision] = ['deploy', 'revision'].map((id) => call.stageJob.steps?.find((step) => step.id === id));
    expect(localAction(deploy ?? {})).toBe('deploy-ecs');
    expect(stepValues(deploy ?? {}, contexts).with).toMatchObject({
      cluster: '<tf:ecs_cluster_name>',
      image: '<image.image.image>',
      environment: `APP_VERSION=${SHA}`,
      'timeout-minutes': '15',
    });
    expect(localAction(revision ?? {})).toBeUndefined();
    expect(stepValues(revision ?? {}, contexts).env).toEqual({ TASK_DEFINITION: 'arn:td/app:7', CONTAINER: '<tf:ecs_container_name>' });
  });

  it('follow an edit of the workflow files, with nothing to change in the rehearsal', () => {
    const version = playChain(edited(DEPLOY_WORKFLOW, '      app-version: ${{ github.sha }}', '      app-version: v2'));
    expect(version.calls.backend?.inputs['app-version']).toBe('v2');
    const origin = playChain(
      edited(DEPLOY_WORKFLOW, '      api-base-url: "" # same origin: CloudFront routes /api/* to the ALB', '      api-base-url: https://api.example.com'),
    );
    expect(origin.calls.frontend?.inputs['api-base-url']).toBe('https://api.example.com');
    const timeout = playChain(edited('.github/workflows/stage-deploy-backend.yml', '        default: 15', '        default: 20'));
    expect(timeout.calls.backend?.inputs['timeout-minutes']).toBe('20');
    const action = playChain(edited('.github/workflows/stage-publish-frontend.yml', '        uses: ./actions/publish-spa', '        uses: ./actions/publish-site'));
    expect((action.calls.frontend?.stageJob.steps ?? []).map(localAction).filter(Boolean)).toEqual(['publish-site']);
    const input = playChain(
      edited(
        '.github/workflows/stage-smoke-test.yml',
        '          timeout-seconds: ${{ inputs.timeout-seconds }}\n',
        '          timeout-seconds: ${{ inputs.timeout-seconds }}\n          checks: all\n',
      ),
    );
    const smoke = input.calls.smoke?.stageJob.steps?.find((step) => step.id === 'smoke');
    expect(stepValues(smoke ?? {}, { github, inputs: input.calls.smoke?.inputs, steps: {} }).with).toMatchObject({ checks: 'all' });
  });
});
