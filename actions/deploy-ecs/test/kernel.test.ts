import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { recordingIo } from '@notebook-ship/action-kit/testing';
import { deploy } from '../src/deploy';
import { createEcrApi } from '../src/ecr-api';
import { createEcsApi } from '../src/ecs-api';
import type { DeployConfig } from '../src/inputs';
import { kernelChange, kernelContainerName, namedKernelRevision, withKernel } from '../src/kernel';
import { deployOutputs } from '../src/outputs';
import { renderSummary } from '../src/report';
import { arn } from './helpers';

const REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook';
const IMAGE = `${REPOSITORY}@sha256:${'b'.repeat(64)}`;
const kernelArn = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/notebook-kernel:${revision}`;
const SERVER_CHANGE = {
  image: IMAGE,
  containerName: '',
  environment: new Map([
    ['APP_VERSION', '9c8b7a6'],
    ['LOG_LEVEL', 'debug'],
  ]),
};
const kernelDefinition = (containers: ContainerDefinition[]) => ({ family: 'notebook-kernel', containerDefinitions: containers });

describe('kernelContainerName', () => {
  it('is the container named kernel, else the only essential one', () => {
    const sidecar = { name: 'log-router', essential: false };
    expect(kernelContainerName(kernelDefinition([sidecar, { name: 'kernel' }, { name: 'agent' }]))).toBe('kernel');
    expect(kernelContainerName(kernelDefinition([sidecar, { name: 'agent' }]))).toBe('agent');
  });

  it('refuses a definition whose kernel container cannot be told, saying what to check', () => {
    expect(() => kernelContainerName(kernelDefinition([{ name: 'app' }, { name: 'proxy' }]))).toThrow(
      'Kernel task definition family "notebook-kernel" has no container named "kernel" and 2 essential containers ' +
        '(its containers: "app", "proxy"), so deploy-ecs cannot tell which one runs the kernel: check that ' +
        "kernel-task-definition names the kernel's task definition (Terraform's ecs_kernel_task_definition_arn " +
        'output), or name its kernel container "kernel".',
    );
  });
});

describe('kernelChange', () => {
  it('gives the kernel the image and APP_VERSION, and none of the server’s other settings', () => {
    expect(kernelChange(SERVER_CHANGE, kernelDefinition([{ name: 'kernel' }]))).toEqual({
      image: IMAGE,
      containerName: 'kernel',
      environment: new Map([['APP_VERSION', '9c8b7a6']]),
    });
    const unversioned = { ...SERVER_CHANGE, environment: new Map([['LOG_LEVEL', 'debug']]) };
    expect(kernelChange(unversioned, kernelDefinition([{ name: 'kernel' }])).environment).toEqual(new Map());
  });
});

describe('withKernel', () => {
  it('adds KERNEL_ECS_TASK_DEFINITION to the server’s environment and leaves the change given as it was', () => {
    const changed = withKernel(SERVER_CHANGE, kernelArn(4));
    expect([...changed.environment]).toEqual([
      ['APP_VERSION', '9c8b7a6'],
      ['LOG_LEVEL', 'debug'],
      ['KERNEL_ECS_TASK_DEFINITION', kernelArn(4)],
    ]);
    expect(SERVER_CHANGE.environment.has('KERNEL_ECS_TASK_DEFINITION')).toBe(false);
  });
});

describe('namedKernelRevision', () => {
  const server = (value: string) => ({
    family: 'notebook',
    containerDefinitions: [{ name: 'notebook', environment: [{ name: 'KERNEL_ECS_TASK_DEFINITION', value }] }],
  });
  it('is the revision of the family the server names, not a family alone or another family', () => {
    expect(namedKernelRevision(server(kernelArn(3)), 'notebook-kernel')).toBe(kernelArn(3));
    expect(namedKernelRevision(server('notebook-kernel'), 'notebook-kernel')).toBeUndefined();
    expect(namedKernelRevision(server(kernelArn(3)), 'other-kernel')).toBeUndefined();
    expect(namedKernelRevision({ family: 'notebook', containerDefinitions: [{ name: 'notebook' }] }, 'notebook-kernel')).toBeUndefined();
  });
});

// deploy() with a kernel task definition, against a mocked ECS client.
const client = new ECSClient({ region: 'us-east-1' });
const mock = mockClient(client);

const KERNEL_CONTAINER: ContainerDefinition = {
  name: 'kernel',
  image: `${REPOSITORY}:bootstrap`,
  command: ['python', '-m', 'app.engine.kernel.agent'],
  environment: [{ name: 'KERNEL_PORT', value: '8790' }],
};
function kernelRevision(revision: number, container: ContainerDefinition = KERNEL_CONTAINER, registeredAt?: Date) {
  return {
    taskDefinition: {
      taskDefinitionArn: kernelArn(revision),
      family: 'notebook-kernel',
      revision,
      status: 'ACTIVE' as const,
      containerDefinitions: [container],
      ...(registeredAt && { registeredAt }),
    },
    tags: [{ key: 'managed-by', value: 'terraform' }],
  };
}
const deployedKernel = { ...KERNEL_CONTAINER, image: IMAGE, environment: [...(KERNEL_CONTAINER.environment ?? []), { name: 'APP_VERSION', value: '9c8b7a6' }] };

function serverRevision(revision: number, environment: Array<{ name: string; value: string }>, image = `${REPOSITORY}:old`) {
  return {
    taskDefinition: {
      taskDefinitionArn: arn(revision),
      family: 'notebook',
      status: 'ACTIVE' as const,
      containerDefinitions: [{ name: 'notebook', image, environment }],
    },
    tags: [],
  };
}

function config(kernel: string): DeployConfig {
  return {
    cluster: 'prod',
    service: 'notebook',
    region: '',
    source: { kind: 'render', change: SERVER_CHANGE, kernel },
    minimumHealthyPercent: 0,
    maximumPercent: 100,
    circuitBreaker: true,
    wait: false,
    timeoutMs: 60_000,
    pollIntervalMs: 1_000,
    allowVersionWithoutImage: false,
    verifyImage: false,
  };
}

async function run(kernel: string) {
  const io = recordingIo();
  const ecr = createEcrApi(() => {
    throw new Error('ECR is not asked here');
  });
  const outcome = await deploy(config(kernel), { ecs: createEcsApi(client, 'us-east-1'), ecr }, 'us-east-1', io);
  return { outcome, io };
}
const registered = () => mock.commandCalls(RegisterTaskDefinitionCommand).map((call) => call.args[0].input);

describe('deploy with kernel-task-definition', () => {
  beforeEach(() => {
    mock.reset();
    mock.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
    mock.on(DescribeServicesCommand).resolves({
      services: [{ serviceName: 'notebook', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', desiredCount: 1, taskDefinition: arn(1), status: 'ACTIVE' }],
    });
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(1) }).resolves(
      serverRevision(1, [{ name: 'KERNEL_ECS_TASK_DEFINITION', value: 'notebook-kernel' }]),
    );
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: 'notebook-kernel' }).resolves(kernelRevision(1));
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: kernelArn(1) }).resolves(kernelRevision(1));
    mock.on(RegisterTaskDefinitionCommand, { family: 'notebook-kernel' }).resolves({ taskDefinition: { taskDefinitionArn: kernelArn(2) } });
    mock.on(RegisterTaskDefinitionCommand, { family: 'notebook' }).resolves({ taskDefinition: { taskDefinitionArn: arn(2) } });
    mock.on(UpdateServiceCommand).resolves({ service: { deployments: [{ id: 'ecs-svc/2', status: 'PRIMARY', taskDefinition: arn(2) }] } });
  });

  it('registers the kernel with the image, then the server naming that kernel revision', async () => {
    const { outcome, io } = await run('notebook-kernel');

    expect(registered()).toEqual([
      { family: 'notebook-kernel', containerDefinitions: [deployedKernel], tags: [{ key: 'managed-by', value: 'terraform' }] },
      {
        family: 'notebook',
        containerDefinitions: [
          {
            name: 'notebook',
            image: IMAGE,
            environment: [
              { name: 'KERNEL_ECS_TASK_DEFINITION', value: kernelArn(2) },
              { name: 'APP_VERSION', value: '9c8b7a6' },
              { name: 'LOG_LEVEL', value: 'debug' },
            ],
          },
        ],
      },
    ]);
    expect(outcome.report.kernel).toEqual({ arn: kernelArn(2), registered: true, containerName: 'kernel' });
    expect(deployOutputs(outcome)).toMatchObject({ 'task-definition-arn': arn(2), 'kernel-task-definition-arn': kernelArn(2) });
    expect(io.infos).toContain(
      `Rendered the kernel from notebook-kernel:1 (kernel-task-definition) with image ${IMAGE} and APP_VERSION in container "kernel".`,
    );
    expect(renderSummary(outcome.report)).toContain(
      '| **Kernel task definition** | notebook-kernel:2 (registered by this run), same image in container kernel |',
    );
  });

  it('registers no kernel revision when the running server’s kernel already is that one', async () => {
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(1) }).resolves(
      serverRevision(1, [{ name: 'KERNEL_ECS_TASK_DEFINITION', value: kernelArn(5) }, { name: 'APP_VERSION', value: '9c8b7a6' }, { name: 'LOG_LEVEL', value: 'debug' }], IMAGE),
    );
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: kernelArn(5) }).resolves(kernelRevision(5, deployedKernel));

    const { outcome, io } = await run(kernelArn(1));

    // The same image again: neither revision is new, and the service keeps what it runs.
    expect(registered()).toEqual([]);
    expect(outcome.report).toMatchObject({ targetArn: arn(1), kernel: { arn: kernelArn(5), registered: false } });
    expect(io.infos).toContain('notebook-kernel:5 already is that definition: no new revision registered.');
  });

  it('reuses a kernel revision registered moments ago by an earlier attempt', async () => {
    mock.on(ListTaskDefinitionsCommand, { familyPrefix: 'notebook-kernel' }).resolves({ taskDefinitionArns: [kernelArn(1), kernelArn(3)] });
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: kernelArn(3) }).resolves(kernelRevision(3, deployedKernel, new Date()));

    const { outcome } = await run('notebook-kernel');

    expect(registered().map((input) => input.family)).toEqual(['notebook']);
    expect(outcome.report.kernel).toEqual({ arn: kernelArn(3), registered: false, containerName: 'kernel' });
    expect(registered()[0]?.containerDefinitions?.[0]?.environment).toContainEqual({ name: 'KERNEL_ECS_TASK_DEFINITION', value: kernelArn(3) });
  });

  it('registers nothing when the kernel definition has no container it can tell is the kernel', async () => {
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: 'notebook-kernel' }).resolves(
      kernelRevision(1, { name: 'app', essential: false }),
    );
    const { outcome } = await run('notebook-kernel');
    expect(outcome.kind).toBe('interrupted');
    expect(outcome.kind === 'interrupted' && (outcome.error as Error).message).toMatch(/^Kernel task definition family "notebook-kernel" has no container named "kernel"/);
    expect(registered()).toEqual([]);
  });

  it('still reports the kernel revision it registered when the server’s registration then fails', async () => {
    const refused = Object.assign(new Error('User is not authorized to perform: iam:PassRole'), { name: 'AccessDeniedException' });
    mock.on(RegisterTaskDefinitionCommand, { family: 'notebook' }).rejects(refused);
    const { outcome } = await run('notebook-kernel');
    expect(outcome.kind).toBe('interrupted');
    expect(deployOutputs(outcome)).toMatchObject({ 'task-definition-arn': '', 'kernel-task-definition-arn': kernelArn(2) });
  });

  it('refuses a kernel ARN of another region before any call to it', async () => {
    const { outcome } = await run('arn:aws:ecs:eu-west-1:123456789012:task-definition/notebook-kernel:1');
    expect(outcome.kind === 'interrupted' && (outcome.error as Error).message).toMatch(
      /^Input "kernel-task-definition" names a task definition in eu-west-1, but this job deploys to us-east-1/,
    );
    expect(registered()).toEqual([]);
  });
});
