import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { runActionBundle } from '@notebook-ship/action-kit/testing';
import { startFakeEcs, type FakeEcs } from '@notebook-ship/local-aws';
import { bundle, digest, logLines, notebookDefinition } from './helpers';

// The committed bundle against the ECS fake, on the service as Terraform leaves it: created at zero tasks on a
// revision whose image tag never exists, and a newest revision of the family carrying the task settings.

const REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook';
// The fake plays ECS alone; the ECR check before UpdateService is asked for real in moto.bundle.test.ts.
const fast = { 'poll-interval-seconds': '0.2', 'verify-image': 'false' };

let fake: FakeEcs;
let bootstrapArn: string;
beforeEach(async () => {
  fake = await startFakeEcs();
  bootstrapArn = registerFromTerraform();
  fake.createService({ cluster: 'notebook', service: 'notebook', taskDefinition: bootstrapArn, desiredCount: 0 });
});
afterEach(() => fake.stop());

/**
 * A revision as Terraform registers it: the fixture's settings with `change` applied to the notebook container,
 * the image tag `bootstrap`, and no deploy history.
 */
function registerFromTerraform(change: { memory?: string; environment?: Array<{ name: string; value: string }> } = {}) {
  const { taskDefinition } = notebookDefinition();
  const [notebook, ...others] = taskDefinition.containerDefinitions as Array<Record<string, unknown>>;
  const container = { ...notebook, image: `${REPOSITORY}:bootstrap`, ...(change.environment && { environment: change.environment }) };
  return fake.registerTaskDefinition(
    { ...taskDefinition, ...(change.memory && { memory: change.memory }), containerDefinitions: [container, ...others] },
    [{ key: 'app', value: 'notebook' }],
  );
}

const run = (inputs: Record<string, string>) =>
  runActionBundle(bundle, { inputs: { cluster: 'notebook', service: 'notebook', ...fast, ...inputs }, env: fake.env });
const deployImage = (image: string, inputs: Record<string, string> = {}) =>
  run({ image, environment: 'APP_VERSION=9c8b7a6', ...inputs });

const ecs = () =>
  new ECSClient({
    region: fake.region,
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
async function theService() {
  const { services } = await ecs().send(new DescribeServicesCommand({ cluster: 'notebook', services: ['notebook'] }));
  return services?.[0];
}
async function describeRevision(arn: string | undefined) {
  return ecs().send(new DescribeTaskDefinitionCommand({ taskDefinition: arn, include: ['TAGS'] }));
}

const CANNOT_PULL = {
  stopCode: 'TaskFailedToStart',
  stoppedReason: 'CannotPullContainerError: pull image manifest has been retried 5 time(s): not found',
  containers: [{ name: 'notebook' }],
};
const BACK_TO_ZERO =
  'First deploy: nothing ran before (the service asked for no task), so the service is back to zero tasks rather ' +
  'than ECS retrying a revision that cannot start. Fix the image and push again.';

describe('a first deploy (the service at zero tasks)', () => {
  it('starts one task, reports no previous revision and says it is the first deploy', async () => {
    const result = await deployImage(digest('b'));

    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({
      'previous-task-definition-arn': '',
      'task-definition-arn': bootstrapArn.replace(/:1$/, ':2'),
      'rollout-state': 'COMPLETED',
    });
    const deployed = result.outputs['task-definition-arn'];
    expect(await theService()).toMatchObject({ desiredCount: 1, runningCount: 1, taskDefinition: deployed });
    const log = logLines(result.stdout);
    expect(log).toContain(
      'Service notebook/notebook asks for no task (desired count 0), so nothing ran before: this is its first deploy.',
    );
    expect(log).toContain(
      'Updating notebook/notebook to notebook:2: minimum healthy 0%, maximum 100%, circuit breaker with rollback. ' +
        'Desired count 0 → 1: deploy-ecs runs this service as a single task.',
    );
    expect(result.summary).toContain('| **Task definition** | notebook:2 (registered by this run), first deploy |');
    expect(result.summary).toContain('> [!NOTE]\n> First deploy: nothing ran before');
  });

  it('sets the service back to zero tasks when the circuit breaker rolls back to the bootstrap revision', async () => {
    fake.scriptRollouts({ outcome: 'ROLLED_BACK', afterPolls: 2, stoppedTasks: [CANNOT_PULL] });
    const result = await deployImage(digest('c'));

    expect(result.exitCode).toBe(1);
    expect(result.outputs).toMatchObject({ 'previous-task-definition-arn': '', 'rollout-state': 'ROLLED_BACK' });
    expect(result.errors).toEqual([
      expect.stringMatching(/^Deployment ecs-svc\/\d+ of notebook:2 was rolled back: .*CannotPullContainerError/),
    ]);
    expect(result.errors[0]).toContain(` ${BACK_TO_ZERO} `);
    const log = logLines(result.stdout);
    expect(log).toContain('Set notebook/notebook back to zero tasks, as it was before this first deploy.');
    expect(fake.calls().UpdateService).toBe(2);
    // The circuit breaker went back to the bootstrap revision, which now asks for no task either.
    expect(await theService()).toMatchObject({ desiredCount: 0, runningCount: 0, pendingCount: 0, taskDefinition: bootstrapArn });
    expect(result.summary).toContain('> [!WARNING]\n> First deploy: nothing ran before');
  });

  it('sets the service back to zero tasks when the rollout fails without a rollback', async () => {
    fake.scriptRollouts({ outcome: 'FAILED', afterPolls: 2, stoppedTasks: [CANNOT_PULL] });
    const result = await deployImage(digest('d'), { 'circuit-breaker': 'false' });

    expect(result.outputs['rollout-state']).toBe('FAILED');
    expect(result.errors[0]).toContain(BACK_TO_ZERO);
    const failed = result.outputs['task-definition-arn'];
    expect(await theService()).toMatchObject({ desiredCount: 0, runningCount: 0, taskDefinition: failed });
  });

  it('has nothing to roll back to with "previous", and says so', async () => {
    const result = await run({ 'task-definition-arn': 'previous' });
    expect(result.errors).toEqual([
      'Service notebook/notebook has never completed a deploy, so there is nothing to roll back to: no ACTIVE revision ' +
        'of family "notebook" carries the tag "deploy-ecs:deployed-at:notebook/notebook" that deploy-ecs adds when a ' +
        'rollout completes. Deploy an image instead (or take back a first deploy with scale-to-zero: true).',
    ]);
    expect(fake.calls().UpdateService).toBeUndefined();
  });

  it('is taken back by scale-to-zero once it completed (e.g. its smoke test failed)', async () => {
    const first = await deployImage(digest('e'));
    const back = await run({ 'scale-to-zero': 'true' });

    expect(back.errors).toEqual([]);
    expect(back.outputs).toEqual({
      'previous-task-definition-arn': first.outputs['task-definition-arn'],
      'task-definition-arn': '',
      'kernel-task-definition-arn': '',
      'deployment-id': '',
      'rollout-state': 'SCALED_TO_ZERO',
      'duration-seconds': expect.stringMatching(/^\d+$/),
    });
    expect(await theService()).toMatchObject({ desiredCount: 0, runningCount: 0 });
    expect(back.summary).toContain('## ⏹️ ECS deploy of notebook/notebook: SCALED_TO_ZERO');
    expect(back.summary).toContain('| **Task definition** | notebook:2 → no task |');

    // The next push is a first deploy again.
    const again = await deployImage(digest('f'));
    expect(again.outputs).toMatchObject({ 'previous-task-definition-arn': '', 'rollout-state': 'COMPLETED' });
    expect(await theService()).toMatchObject({ desiredCount: 1, runningCount: 1 });
  });
});

describe('base-task-definition: task settings from Terraform', () => {
  it('brings a Terraform-side change with the next deploy, the image replaced and APP_VERSION set', async () => {
    const first = await deployImage(digest('a'), { 'base-task-definition': bootstrapArn });
    const runningArn = first.outputs['task-definition-arn'];
    // Terraform now asks for more memory and a new variable: a new revision, which the service does not run.
    const terraformArn = registerFromTerraform({
      memory: '2048',
      environment: [
        { name: 'LOG_LEVEL', value: 'info' },
        { name: 'MAX_KERNELS', value: '8' },
      ],
    });

    const result = await deployImage(digest('b'), {
      environment: 'APP_VERSION=0d1e2f3',
      'base-task-definition': terraformArn,
    });

    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ 'previous-task-definition-arn': runningArn, 'rollout-state': 'COMPLETED' });
    const deployed = await describeRevision(result.outputs['task-definition-arn']);
    expect(deployed.taskDefinition?.revision).toBe(4);
    expect(deployed.taskDefinition?.memory).toBe('2048');
    const [notebook, sidecar] = deployed.taskDefinition?.containerDefinitions ?? [];
    expect(notebook?.image).toBe(digest('b'));
    expect(notebook?.environment).toEqual([
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'MAX_KERNELS', value: '8' },
      { name: 'APP_VERSION', value: '0d1e2f3' },
    ]);
    expect(notebook?.secrets).toEqual([
      { name: 'DATABASE_URL', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:notebook/database-url-AbCdEf' },
    ]);
    expect(sidecar?.image).toBe('public.ecr.aws/aws-observability/aws-for-fluent-bit:stable');
    expect(deployed.tags).toEqual([
      { key: 'app', value: 'notebook' },
      { key: 'deploy-ecs:deployed-at:notebook/notebook', value: expect.stringMatching(/^\d{4}-\d\d-\d\dT.*Z$/) },
    ]);
    expect(logLines(result.stdout)).toContain(
      `Rendered from the base notebook:3 (base-task-definition) with image ${digest('b')} and environment APP_VERSION ` +
        'in container "notebook".',
    );
    // Terraform's own revision is left as it was registered, with its bootstrap image.
    const terraform = await describeRevision(terraformArn);
    expect(terraform.taskDefinition?.containerDefinitions?.[0]?.image).toBe(`${REPOSITORY}:bootstrap`);
  });

  it('registers nothing when the same image goes out again on the same base', async () => {
    const first = await deployImage(digest('a'), { 'base-task-definition': bootstrapArn });
    const again = await deployImage(digest('a'), { 'base-task-definition': 'notebook:1' });
    expect(again.errors).toEqual([]);
    expect(again.outputs['task-definition-arn']).toBe(first.outputs['task-definition-arn']);
    expect(fake.calls().RegisterTaskDefinition).toBe(1);
  });

  it.each([
    [{ 'task-definition-arn': 'previous' }, '"task-definition-arn"'],
    [{ 'task-definition': 'taskdef.json' }, '"task-definition"'],
  ])('is refused with %p', async (inputs, named) => {
    const result = await run({ 'base-task-definition': 'notebook:1', ...inputs });
    expect(result.errors).toEqual([
      `Input "base-task-definition" names the revision to render the image and environment into, so it cannot be ` +
        `combined with ${named}: task-definition-arn deploys an existing revision as-is and task-definition renders ` +
        'a file instead; set only one of the three.',
    ]);
    expect(fake.calls()).toEqual({});
  });

  it('names a base revision that does not exist', async () => {
    const result = await deployImage(digest('a'), { 'base-task-definition': 'notebook:99' });
    expect(result.errors).toEqual([
      expect.stringMatching(/^Task definition "notebook:99" was not found in us-east-1 \(or cannot be read\)\. ECS said: /),
    ]);
  });
});

describe('kernel-task-definition: kernels as ECS tasks get the server’s image', () => {
  /** The kernel family as Terraform registers it: the bootstrap image, the agent's command. */
  const registerKernelFromTerraform = () =>
    fake.registerTaskDefinition(
      {
        family: 'notebook-kernel',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '512',
        memory: '1024',
        containerDefinitions: [
          {
            name: 'kernel',
            image: `${REPOSITORY}:bootstrap`,
            essential: true,
            command: ['python', '-m', 'app.engine.kernel.agent'],
            environment: [{ name: 'KERNEL_PORT', value: '8790' }],
          },
        ],
      },
      [{ key: 'app', value: 'notebook' }],
    );
  const kernelVariable = async (serverArn: string | undefined) =>
    (await describeRevision(serverArn)).taskDefinition?.containerDefinitions?.[0]?.environment?.find(
      (variable) => variable.name === 'KERNEL_ECS_TASK_DEFINITION',
    )?.value;

  it('registers the kernel revision with the deployed image, and the server revision naming it', async () => {
    const terraformKernelArn = registerKernelFromTerraform();

    const result = await deployImage(digest('b'), { 'base-task-definition': bootstrapArn, 'kernel-task-definition': terraformKernelArn });

    expect(result.errors).toEqual([]);
    const kernelArn = result.outputs['kernel-task-definition-arn'];
    expect(kernelArn).toBe(terraformKernelArn.replace(/:1$/, ':2'));
    expect(await kernelVariable(result.outputs['task-definition-arn'])).toBe(kernelArn);
    const kernel = (await describeRevision(kernelArn)).taskDefinition?.containerDefinitions?.[0];
    expect(kernel).toMatchObject({
      name: 'kernel',
      image: digest('b'),
      command: ['python', '-m', 'app.engine.kernel.agent'],
      environment: [
        { name: 'KERNEL_PORT', value: '8790' },
        { name: 'APP_VERSION', value: '9c8b7a6' },
      ],
    });
    expect(result.summary).toContain('| **Kernel task definition** | notebook-kernel:2 (registered by this run), same image in container kernel |');
  });

  it('registers nothing new when the same image goes out again, and a rollback brings back its own kernel', async () => {
    const kernelFamily = (registerKernelFromTerraform(), 'notebook-kernel');
    const first = await deployImage(digest('a'), { 'base-task-definition': bootstrapArn, 'kernel-task-definition': kernelFamily });
    const again = await deployImage(digest('a'), { 'base-task-definition': bootstrapArn, 'kernel-task-definition': kernelFamily });
    expect(again.outputs).toMatchObject({
      'task-definition-arn': first.outputs['task-definition-arn'],
      'kernel-task-definition-arn': first.outputs['kernel-task-definition-arn'],
    });
    expect(fake.calls().RegisterTaskDefinition).toBe(2);

    const second = await deployImage(digest('c'), { 'base-task-definition': bootstrapArn, 'kernel-task-definition': kernelFamily });
    expect(second.outputs['kernel-task-definition-arn']).not.toBe(first.outputs['kernel-task-definition-arn']);
    const back = await run({ 'task-definition-arn': 'previous' });

    expect(back.errors).toEqual([]);
    expect(back.outputs).toMatchObject({ 'task-definition-arn': first.outputs['task-definition-arn'], 'kernel-task-definition-arn': '' });
    const kernelArn = await kernelVariable((await theService())?.taskDefinition);
    expect(kernelArn).toBe(first.outputs['kernel-task-definition-arn']);
    expect((await describeRevision(kernelArn)).taskDefinition?.containerDefinitions?.[0]?.image).toBe(digest('a'));
  });
});
