import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { copyFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { runActionBundle } from '@notebook-ship/action-kit/testing';
import { startFakeEcs, type FakeEcs } from '@notebook-ship/local-aws';
import { bundle, digest, logLines, notebookDefinition, seedNotebook } from './helpers';

// The committed bundle against the scripted ECS fake on loopback: the rollouts moto cannot play.

let fake: FakeEcs;
let runningArn: string;
beforeEach(async () => {
  fake = await startFakeEcs();
  ({ runningArn } = seedNotebook(fake));
});
afterEach(() => fake.stop());

// The fake plays ECS alone; the ECR check before UpdateService is asked for real in moto.bundle.test.ts.
const fast = { 'poll-interval-seconds': '0.2', 'verify-image': 'false' };
const deployImage = (image: string, inputs: Record<string, string> = {}) =>
  runActionBundle(bundle, {
    inputs: { cluster: 'notebook', service: 'notebook', image, ...fast, ...inputs },
    env: fake.env,
  });

function ecs(): ECSClient {
  return new ECSClient({
    region: fake.region,
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
}

const FAILED_TASK = {
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  containers: [
    { name: 'notebook', exitCode: 1, reason: undefined },
    { name: 'log-router', exitCode: 0 },
  ],
};

describe('a rollout that completes', () => {
  it('registers the rendered revision, follows its deployment, prints each event once and tags it as deployed', async () => {
    fake.scriptRollouts({ outcome: 'COMPLETED', afterPolls: 3 });
    const result = await deployImage(digest('b'), { environment: 'APP_VERSION=9c8b7a6' });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const [rollout] = fake.rollouts();
    const newArn = runningArn.replace(/:1$/, ':2');
    expect(result.outputs).toEqual({
      'previous-task-definition-arn': runningArn,
      'task-definition-arn': newArn,
      'kernel-task-definition-arn': '',
      'deployment-id': rollout?.deploymentId,
      'rollout-state': 'COMPLETED',
      'duration-seconds': expect.stringMatching(/^\d+$/),
    });

    const described = await ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: newArn, include: ['TAGS'] }));
    const [notebook, sidecar] = described.taskDefinition?.containerDefinitions ?? [];
    expect(notebook?.image).toBe(digest('b'));
    expect(notebook?.environment).toEqual([
      { name: 'APP_VERSION', value: '9c8b7a6' },
      { name: 'LOG_LEVEL', value: 'info' },
    ]);
    expect(sidecar?.image).toBe('public.ecr.aws/aws-observability/aws-for-fluent-bit:stable');
    // The running revision's history tag was not copied; this rollout's own was added once it completed.
    expect(described.tags).toEqual([
      { key: 'app', value: 'notebook' },
      { key: 'deploy-ecs:deployed-at:notebook/notebook', value: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) },
    ]);

    const log = logLines(result.stdout);
    for (const event of ['has started 1 tasks.', 'deployment completed.', 'has reached a steady state.']) {
      expect(log.filter((line) => line.endsWith(event))).toHaveLength(1);
    }
    expect(log).toContain(`${rollout?.deploymentId}: IN_PROGRESS · running 0/1 · pending 1 · failed tasks 0`);
    expect(log).toContain(`${rollout?.deploymentId}: IN_PROGRESS · running 1/1 · pending 0 · failed tasks 0`);
    expect(log).toContain(`${rollout?.deploymentId}: COMPLETED · running 1/1 · pending 0 · failed tasks 0`);
    expect(log).toContain(
      'Updating notebook/notebook to notebook:2: minimum healthy 0%, maximum 100%, circuit breaker with rollback. ' +
        'ECS stops the running task before the new one starts: expect a brief downtime.',
    );
    // One look before the update, then one per poll until COMPLETED.
    expect(fake.calls()).toMatchObject({ DescribeServices: 4, RegisterTaskDefinition: 1, UpdateService: 1, TagResource: 1 });

    expect(result.summary).toContain('## ✅ ECS deploy of notebook/notebook: COMPLETED');
    expect(result.summary).toContain('| **Task definition** | notebook:1 → notebook:2 (registered by this run) |');
    expect(result.summary).toContain(`| **Image** | ${digest('b')} (container notebook) |`);
    expect(result.summary).toContain(`| **Deployment** | ${rollout?.deploymentId} |`);
    expect(result.summary).toContain(
      '(https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/notebook/services/notebook/deployments?region=us-east-1)',
    );
    expect(result.summary).toContain('Expect a brief downtime');
  });

  it('registers nothing and completes at once when the rendered definition is the running one', async () => {
    const running = notebookDefinition().taskDefinition.containerDefinitions as Array<{ image: string }>;
    const result = await deployImage((running[0] as { image: string }).image);
    expect(result.errors).toEqual([]);
    expect(result.outputs['task-definition-arn']).toBe(runningArn);
    expect(result.outputs['rollout-state']).toBe('COMPLETED');
    expect(fake.calls().RegisterTaskDefinition).toBeUndefined();
    expect(fake.rollouts()).toEqual([]);
    expect(logLines(result.stdout)).toContain('notebook:1 already is that definition: no new revision registered.');
    expect(result.summary).toContain('| **Task definition** | notebook:1 (unchanged) |');
  });

  it('retries throttled calls with the SDK standard retries and still completes', async () => {
    fake.throttle('DescribeServices', 2);
    fake.throttle('RegisterTaskDefinition', 1);
    fake.throttle('UpdateService', 1);
    const result = await deployImage(digest('c'));
    expect(result.errors).toEqual([]);
    expect(result.outputs['rollout-state']).toBe('COMPLETED');
    // Two throttled looks before the first answer, then the default script's two polls.
    expect(fake.calls()).toMatchObject({ DescribeServices: 5, RegisterTaskDefinition: 2, UpdateService: 2 });
  });

  it('starts the rollout and leaves when wait is false', async () => {
    const result = await deployImage(digest('d'), { wait: 'false' });
    expect(result.errors).toEqual([]);
    expect(result.outputs['rollout-state']).toBe('NOT_WAITED');
    expect(result.outputs['deployment-id']).toBe(fake.rollouts()[0]?.deploymentId);
    expect(fake.calls().DescribeServices).toBe(1);
    expect(fake.calls().TagResource).toBeUndefined();
  });
});

describe('a rollout that does not complete', () => {
  it('fails fast on FAILED with the stopped tasks’ reasons and exit codes and the last events', async () => {
    fake.scriptRollouts({ outcome: 'FAILED', afterPolls: 2, stoppedTasks: [FAILED_TASK, FAILED_TASK] });
    const result = await deployImage(digest('e'));

    expect(result.exitCode).toBe(1);
    const [rollout] = fake.rollouts();
    expect(result.outputs['rollout-state']).toBe('FAILED');
    expect(result.errors).toHaveLength(1);
    expect(result.errors[0]).toMatch(
      new RegExp(
        `^Deployment ${rollout?.deploymentId} of notebook:2 failed: ECS deployment circuit breaker: tasks failed to start\\. ` +
          'Stopped task [0-9a-f]{32}: EssentialContainerExited: Essential container in task exited; ' +
          'notebook exit code 1; log-router exit code 0 \\(\\+1 more\\)\\. ' +
          'Service events and stopped tasks are in the log and the job summary\\.$',
      ),
    );
    const log = logLines(result.stdout);
    const stopped = log.indexOf('Stopped tasks of notebook:2 (newest first):');
    expect(stopped).toBeGreaterThan(0);
    expect(log[stopped + 1]).toMatch(/^ {2}task [0-9a-f]{32}: EssentialContainerExited: .*; notebook exit code 1;/);
    const events = log.indexOf('Last service events:');
    expect(events).toBeGreaterThan(stopped);
    expect(log.slice(events + 1).some((line) => line.endsWith('deployment failed: tasks failed to start.'))).toBe(true);
    // Failed on the second poll, not after a timeout; the stopped tasks were read when ECS first counted them, and
    // once more for the diagnosis.
    expect(fake.calls()).toMatchObject({ DescribeServices: 3, ListTasks: 2, DescribeTasks: 2 });
    expect(log.filter((line) => line.startsWith('Stopped task '))).toHaveLength(2);
    expect(fake.calls().TagResource).toBeUndefined();

    expect(result.summary).toContain('## ❌ ECS deploy of notebook/notebook: FAILED');
    expect(result.summary).toContain('### Stopped tasks');
    expect(result.summary).toContain('### Last service events');
  });

  it('reports ROLLED_BACK when the circuit breaker puts the old revision back', async () => {
    fake.scriptRollouts({
      outcome: 'ROLLED_BACK',
      afterPolls: 2,
      stoppedTasks: [
        {
          stopCode: 'TaskFailedToStart',
          stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found',
          containers: [{ name: 'notebook' }],
        },
      ],
    });
    const result = await deployImage(digest('f'));

    expect(result.exitCode).toBe(1);
    expect(result.outputs['rollout-state']).toBe('ROLLED_BACK');
    expect(result.errors[0]).toMatch(
      /^Deployment ecs-svc\/\d+ of notebook:2 was rolled back: ECS deployment circuit breaker: tasks failed to start; deployment ecs-svc\/\d+ of notebook:1 is now PRIMARY\. Stopped task [0-9a-f]{32}: TaskFailedToStart: CannotPullContainerError: .* not found\. /,
    );
    const service = await ecs().send(new DescribeServicesCommand({ cluster: 'notebook', services: ['notebook'] }));
    expect(service.services?.[0]?.taskDefinition).toBe(runningArn);
    expect(result.summary).toContain('## ↩️ ECS deploy of notebook/notebook: ROLLED_BACK');
  });

  it('times out on a rollout that never finishes, with the stopped tasks', async () => {
    fake.scriptRollouts({ outcome: 'NEVER', stoppedTasks: [FAILED_TASK] });
    const result = await deployImage(digest('a'), { 'timeout-minutes': '0.02', 'poll-interval-seconds': '0.4' });

    expect(result.exitCode).toBe(1);
    expect(result.outputs['rollout-state']).toBe('TIMED_OUT');
    expect(result.errors[0]).toMatch(
      /^Timed out after 1s waiting for deployment ecs-svc\/\d+ to complete \(\d+ checks\)\. Last state: IN_PROGRESS · running 0\/1 · pending 1 · failed tasks 1\. .*raise timeout-minutes.* Stopped task [0-9a-f]{32}: EssentialContainerExited/,
    );
    expect(result.summary).toContain('## ⏱️ ECS deploy of notebook/notebook: TIMED_OUT');
  });
});

describe('rollbacks by revision', () => {
  it('deploys "previous": the last revision rolled out before the running one, back and forth', async () => {
    expect((await deployImage(digest('a'))).outputs['task-definition-arn']).toMatch(/notebook:2$/);
    expect((await deployImage(digest('b'))).outputs['task-definition-arn']).toMatch(/notebook:3$/);

    const back = await runActionBundle(bundle, {
      inputs: { cluster: 'notebook', service: 'notebook', 'task-definition-arn': 'previous', ...fast },
      env: fake.env,
    });
    expect(back.errors).toEqual([]);
    expect(back.outputs['previous-task-definition-arn']).toMatch(/notebook:3$/);
    expect(back.outputs['task-definition-arn']).toMatch(/notebook:2$/);
    expect(back.outputs['rollout-state']).toBe('COMPLETED');
    expect(logLines(back.stdout)).toContain(
      '"previous" is notebook:2, the last revision deploy-ecs rolled out to notebook/notebook before.',
    );

    const forth = await runActionBundle(bundle, {
      inputs: { cluster: 'notebook', service: 'notebook', 'task-definition-arn': 'previous', ...fast },
      env: fake.env,
    });
    expect(forth.outputs['task-definition-arn']).toMatch(/notebook:3$/);
    expect(fake.calls().RegisterTaskDefinition).toBe(2);
  });

  it('deploys an exact revision by ARN as-is', async () => {
    await deployImage(digest('a'));
    const result = await runActionBundle(bundle, {
      inputs: { cluster: 'notebook', service: 'notebook', 'task-definition-arn': runningArn, ...fast },
      env: fake.env,
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs['task-definition-arn']).toBe(runningArn);
    expect(result.outputs['rollout-state']).toBe('COMPLETED');
    expect(result.summary).toContain('| **Task definition** | notebook:2 → notebook:1 |');
  });
});

describe('a task definition file', () => {
  async function workspaceWith(fixture: string): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'workspace-'));
    await copyFile(fileURLToPath(new URL(`fixtures/${fixture}.json`, import.meta.url)), join(dir, 'taskdef.json'));
    return dir;
  }

  it('registers the file (describe-task-definition output here) with the image on the named container', async () => {
    const result = await runActionBundle(bundle, {
      inputs: {
        cluster: 'notebook',
        service: 'notebook',
        'task-definition': 'taskdef.json',
        image: 'mysql:8.4',
        'container-name': 'mysql',
        ...fast,
      },
      env: fake.env,
      cwd: await workspaceWith('describe-hello-world'),
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs['task-definition-arn']).toMatch(/:task-definition\/hello_world:1$/);
    expect(result.outputs['rollout-state']).toBe('COMPLETED');
    const described = await ecs().send(
      new DescribeTaskDefinitionCommand({ taskDefinition: result.outputs['task-definition-arn'] }),
    );
    expect(described.taskDefinition?.containerDefinitions?.map((container) => container.image)).toEqual([
      'wordpress',
      'mysql:8.4',
    ]);
    expect(logLines(result.stdout)).toContain('Rendered from taskdef.json with image mysql:8.4 in container "mysql".');
  });

  it('says which file it cannot read', async () => {
    const result = await runActionBundle(bundle, {
      inputs: { cluster: 'notebook', service: 'notebook', 'task-definition': 'deploy/missing.json' },
      env: fake.env,
      cwd: await workspaceWith('describe-hello-world'),
    });
    expect(result.errors).toEqual([
      expect.stringMatching(/^Cannot read the task-definition file deploy\/missing.json: ENOENT: no such file or directory/),
    ]);
  });
});

describe('clear errors', () => {
  it('names the missing permission when access is denied', async () => {
    fake.deny('UpdateService');
    const result = await deployImage(digest('a'));
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      "Access denied: the job's AWS role lacks ecs:UpdateService (needed for UpdateService). Add it to the role's policy. " +
        'ECS said: User: arn:aws:sts::123456789012:assumed-role/deploy/fake-session is not authorized to perform: ' +
        'ecs:UpdateService on resource: * because no identity-based policy allows the ecs:UpdateService action',
    ]);
    // The revision was registered before the refusal: later steps can still see which one.
    expect(result.outputs['task-definition-arn']).toMatch(/notebook:2$/);
  });

  it('refuses services that another deployment controller drives', async () => {
    const arn = fake.registerTaskDefinition({ family: 'bg', containerDefinitions: [{ name: 'web', image: 'nginx' }] });
    fake.createService({ cluster: 'notebook', service: 'bg', taskDefinition: arn, deploymentController: 'CODE_DEPLOY' });
    const result = await runActionBundle(bundle, {
      inputs: { cluster: 'notebook', service: 'bg', image: 'nginx:1.27' },
      env: fake.env,
    });
    expect(result.errors).toEqual([
      'Service "bg" uses the CODE_DEPLOY deployment controller; deploy-ecs drives rolling updates (the ECS controller) ' +
        'only. Deploy it with CodeDeploy or your external controller instead.',
    ]);
  });
});
