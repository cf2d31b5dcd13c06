import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
  type Deployment,
  type Service,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { recordingIo } from '@notebook-ship/action-kit/testing';
import { deploy, deploymentConfigurationFor, expectsDowntime } from '../src/deploy';
import { createEcrApi } from '../src/ecr-api';
import { createEcsApi } from '../src/ecs-api';
import type { DeployConfig } from '../src/inputs';
import { deployOutputs } from '../src/outputs';
import { failureError } from '../src/report';
import { arn } from './helpers';

describe('deploymentConfigurationFor', () => {
  it('replaces the percentages and the circuit breaker, and keeps the service’s other settings', () => {
    const current = {
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: false, rollback: false },
      alarms: { alarmNames: ['notebook-5xx'], enable: true, rollback: true },
    };
    expect(deploymentConfigurationFor({ minimumHealthyPercent: 0, maximumPercent: 100, circuitBreaker: true }, current)).toEqual({
      maximumPercent: 100,
      minimumHealthyPercent: 0,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: ['notebook-5xx'], enable: true, rollback: true },
    });
    expect(deploymentConfigurationFor({ minimumHealthyPercent: 50, maximumPercent: 200, circuitBreaker: false }, undefined)).toEqual({
      maximumPercent: 200,
      minimumHealthyPercent: 50,
      deploymentCircuitBreaker: { enable: false, rollback: false },
    });
  });
});

describe('expectsDowntime', () => {
  it('is true when the minimum healthy task count rounds to zero', () => {
    expect(expectsDowntime(1, 0)).toBe(true);
    expect(expectsDowntime(1, 50)).toBe(false);
    expect(expectsDowntime(3, 30)).toBe(false);
    expect(expectsDowntime(0, 0)).toBe(false);
  });
});

// deploy() end to end against a mocked ECS client: what it asks ECS, in which order, and what it reports.
const client = new ECSClient({ region: 'us-east-1' });
const mock = mockClient(client);
beforeEach(() => {
  mock.reset();
  mock.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
});

const IMAGE = `123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook@sha256:${'b'.repeat(64)}`;
const instantClock = () => {
  let now = 0;
  return { now: () => now, sleep: async (ms: number) => void (now += ms) };
};

const CHANGE = { image: IMAGE, containerName: '', environment: new Map([['APP_VERSION', '9c8b7a6']]) };

/** ECS mocked; ECR never asked (verifyImage is false here), and a test that asks it fails. */
function aws() {
  const ecr = createEcrApi(() => {
    throw new Error('These tests follow ECS alone: verify-image.test.ts covers the ECR check.');
  });
  return { ecs: createEcsApi(client, 'us-east-1'), ecr };
}

function config(overrides: Partial<DeployConfig> = {}): DeployConfig {
  return {
    cluster: 'prod',
    service: 'notebook',
    region: '',
    source: { kind: 'render', change: CHANGE },
    minimumHealthyPercent: 0,
    maximumPercent: 100,
    circuitBreaker: true,
    wait: true,
    timeoutMs: 60_000,
    pollIntervalMs: 1_000,
    allowVersionWithoutImage: false,
    // The ECR check has its own tests (verify-image.test.ts); these follow ECS alone.
    verifyImage: false,
    ...overrides,
  };
}

function service(desiredCount: number, deployments: Deployment[], taskDefinition = arn(1)): Service {
  return {
    serviceName: 'notebook',
    clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod',
    status: 'ACTIVE',
    desiredCount,
    taskDefinition,
    deployments,
    events: [],
  };
}
const deployment = (id: string, revision: number, status: string, rolloutState: string, reason = ''): Deployment => ({
  id,
  status,
  taskDefinition: arn(revision),
  rolloutState: rolloutState as Deployment['rolloutState'],
  rolloutStateReason: reason,
});

const REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook';
/** A described revision of family notebook, tagged as Terraform tags it. */
function revision(number: number, container: ContainerDefinition, memory = '512') {
  return {
    taskDefinition: {
      taskDefinitionArn: arn(number),
      family: 'notebook',
      status: 'ACTIVE' as const,
      cpu: '256',
      memory,
      containerDefinitions: [{ name: 'notebook', ...container }],
    },
    tags: [{ key: 'managed-by', value: 'terraform' }],
  };
}
/** Terraform's revision: the service is created on it at zero tasks, with an image tag that never exists. */
const BOOTSTRAP = revision(1, { image: `${REPOSITORY}:bootstrap` });

async function run(settings: DeployConfig) {
  const io = recordingIo();
  const outcome = await deploy(settings, aws(), 'us-east-1', io, instantClock());
  if (outcome.kind === 'interrupted') throw outcome.error;
  return { report: outcome.report, lines: io.infos, warnings: io.warnings, outputs: deployOutputs(outcome) };
}
const updates = () => mock.commandCalls(UpdateServiceCommand).map((call) => call.args[0].input);

describe('a first deploy (the service asks for no task)', () => {
  beforeEach(() => {
    mock.on(DescribeTaskDefinitionCommand).resolves(BOOTSTRAP);
    mock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: arn(2) } });
    mock.on(ListTasksCommand).resolves({ taskArns: [] });
    mock.on(TagResourceCommand).resolves({});
  });

  it('starts one task with a deployment of its own, and reports no previous revision', async () => {
    const before = service(0, [deployment('ecs-svc/1', 1, 'PRIMARY', 'COMPLETED')]);
    mock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [before] })
      .resolves({ services: [service(1, [deployment('ecs-svc/2', 2, 'PRIMARY', 'COMPLETED')], arn(2))] });
    mock.on(UpdateServiceCommand).resolves({
      service: service(1, [deployment('ecs-svc/2', 2, 'PRIMARY', 'IN_PROGRESS'), deployment('ecs-svc/1', 1, 'ACTIVE', 'COMPLETED')]),
    });

    const { report, lines, outputs } = await run(config());

    expect(report).toMatchObject({ state: 'COMPLETED', firstDeploy: true, previousArn: '', targetArn: arn(2), downtime: false });
    expect(outputs['previous-task-definition-arn']).toBe('');
    expect(updates()).toEqual([
      expect.objectContaining({ taskDefinition: arn(2), desiredCount: 1, forceNewDeployment: true }),
    ]);
    expect(lines).toContain('Service prod/notebook asks for no task (desired count 0), so nothing ran before: this is its first deploy.');
    expect(lines).toContain(
      'Updating prod/notebook to notebook:2: minimum healthy 0%, maximum 100%, circuit breaker with rollback. ' +
        'Desired count 0 → 1: deploy-ecs runs this service as a single task.',
    );
    expect(mock.commandCalls(TagResourceCommand)).toHaveLength(1);
  });

  it('sets the service back to zero tasks when the circuit breaker rolls back to the revision that cannot start', async () => {
    mock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [service(0, [deployment('ecs-svc/1', 1, 'PRIMARY', 'COMPLETED')])] })
      .resolves({
        services: [
          service(1, [
            deployment('ecs-svc/3', 1, 'PRIMARY', 'IN_PROGRESS'),
            deployment('ecs-svc/2', 2, 'ACTIVE', 'FAILED', 'ECS deployment circuit breaker: tasks failed to start.'),
          ]),
        ],
      });
    mock.on(UpdateServiceCommand).resolves({ service: service(1, [deployment('ecs-svc/2', 2, 'PRIMARY', 'IN_PROGRESS')]) });

    const { report, lines } = await run(config());

    expect(report).toMatchObject({ state: 'ROLLED_BACK', firstDeploy: true, scaledToZero: true });
    expect(updates()).toEqual([
      expect.objectContaining({ taskDefinition: arn(2), desiredCount: 1 }),
      { cluster: 'prod', service: 'notebook', desiredCount: 0 },
    ]);
    expect(lines).toContain('Set prod/notebook back to zero tasks, as it was before this first deploy.');
    expect(failureError(report).message).toContain(
      'First deploy: nothing ran before (the service asked for no task), so the service is back to zero tasks rather ' +
        'than ECS retrying a revision that cannot start. Fix the image and push again.',
    );
  });

  it('says how to stop the service by hand when setting it back to zero fails', async () => {
    mock
      .on(DescribeServicesCommand)
      .resolvesOnce({ services: [service(0, [deployment('ecs-svc/1', 1, 'PRIMARY', 'COMPLETED')])] })
      .resolves({ services: [service(1, [deployment('ecs-svc/2', 2, 'PRIMARY', 'FAILED', 'tasks failed to start')])] });
    mock
      .on(UpdateServiceCommand)
      .resolvesOnce({ service: service(1, [deployment('ecs-svc/2', 2, 'PRIMARY', 'IN_PROGRESS')]) })
      .rejects(new Error('connection reset'));

    const { report, warnings } = await run(config());

    expect(report).toMatchObject({ state: 'FAILED', scaledToZero: false });
    expect(warnings).toEqual(['Could not set prod/notebook back to zero tasks, so ECS keeps trying: connection reset']);
    expect(failureError(report).message).toContain('--desired-count 0, then fix the image and push again.');
  });
});

describe('a base revision (Terraform’s newest)', () => {
  it('renders the image and environment into the base, not into the running revision', async () => {
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(2) }).resolves(revision(2, { image: `${REPOSITORY}:old` }));
    mock
      .on(DescribeTaskDefinitionCommand, { taskDefinition: 'notebook:3' })
      .resolves(revision(3, { image: `${REPOSITORY}:bootstrap`, environment: [{ name: 'FEATURE', value: 'on' }] }, '1024'));
    mock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: arn(4) } });
    mock.on(DescribeServicesCommand).resolves({ services: [service(1, [deployment('ecs-svc/1', 2, 'PRIMARY', 'COMPLETED')], arn(2))] });
    mock.on(UpdateServiceCommand).resolves({ service: service(1, [deployment('ecs-svc/4', 4, 'PRIMARY', 'IN_PROGRESS')]) });

    const { report, lines } = await run(config({ source: { kind: 'base', reference: 'notebook:3', change: CHANGE }, wait: false }));

    expect(report).toMatchObject({ previousArn: arn(2), targetArn: arn(4), registered: true, firstDeploy: false });
    expect(mock.commandCalls(RegisterTaskDefinitionCommand)[0]?.args[0].input).toEqual({
      family: 'notebook',
      cpu: '256',
      memory: '1024',
      containerDefinitions: [
        {
          name: 'notebook',
          image: IMAGE,
          environment: [
            { name: 'FEATURE', value: 'on' },
            { name: 'APP_VERSION', value: '9c8b7a6' },
          ],
        },
      ],
      tags: [{ key: 'managed-by', value: 'terraform' }],
    });
    expect(lines).toContain(
      'Rendered from the base notebook:3 (base-task-definition) with image ' +
        `${IMAGE} and environment APP_VERSION in container "notebook".`,
    );
    expect(updates()[0]).not.toHaveProperty('desiredCount');
  });
});

describe('a revision registered moments ago', () => {
  const rendered = { ...revision(5, { image: IMAGE, environment: [{ name: 'APP_VERSION', value: '9c8b7a6' }] }) };
  beforeEach(() => {
    mock.on(DescribeServicesCommand).resolves({ services: [service(1, [deployment('ecs-svc/1', 1, 'PRIMARY', 'COMPLETED')])] });
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(1) }).resolves(revision(1, { image: `${REPOSITORY}:old` }));
    mock.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [arn(5), arn(1)] });
    mock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: arn(6) } });
    mock.on(UpdateServiceCommand).callsFake(({ taskDefinition }) => ({
      service: service(1, [deployment('ecs-svc/2', Number(taskDefinition.split(':').pop()), 'PRIMARY', 'IN_PROGRESS')]),
    }));
  });
  const latestRegistered = (minutesAgo: number, image = IMAGE) =>
    mock.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(5) }).resolves({
      ...rendered,
      taskDefinition: {
        ...revision(5, { image, environment: [{ name: 'APP_VERSION', value: '9c8b7a6' }] }).taskDefinition,
        registeredAt: new Date(Date.now() - minutesAgo * 60_000),
      },
    });

  it('is reused when it is exactly the rendered definition', async () => {
    latestRegistered(2);
    const { report } = await run(config({ wait: false }));
    expect(report).toMatchObject({ targetArn: arn(5), registered: false });
    expect(mock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(0);
  });

  it('is not reused when older than the window, or different', async () => {
    latestRegistered(11);
    expect((await run(config({ wait: false }))).report.targetArn).toBe(arn(6));
    latestRegistered(1, `${REPOSITORY}:other`);
    expect((await run(config({ wait: false }))).report.targetArn).toBe(arn(6));
    expect(mock.commandCalls(RegisterTaskDefinitionCommand)).toHaveLength(2);
  });
});

describe('an interrupted deploy', () => {
  it('returns what it did before the error: the revision it registered, and no rollout outcome', async () => {
    mock.on(DescribeServicesCommand).resolves({ services: [service(1, [deployment('ecs-svc/1', 1, 'PRIMARY', 'COMPLETED')])] });
    mock.on(DescribeTaskDefinitionCommand).resolves(revision(1, { image: `${REPOSITORY}:old` }));
    mock.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: arn(2) } });
    const refused = new Error('not authorized to perform: ecs:UpdateService');
    mock.on(UpdateServiceCommand).rejects(refused);

    const outcome = await deploy(config(), aws(), 'us-east-1', recordingIo(), instantClock());

    expect(outcome).toMatchObject({ kind: 'interrupted', report: { previousArn: arn(1), targetArn: arn(2), registered: true } });
    expect(outcome.kind === 'interrupted' && outcome.error).toBe(refused);
    expect(deployOutputs(outcome)).toMatchObject({ 'task-definition-arn': arn(2), 'deployment-id': '', 'rollout-state': '' });
  });
});

describe('scale-to-zero', () => {
  it('sets the desired count to 0 and deploys nothing', async () => {
    mock.on(DescribeServicesCommand).resolves({ services: [service(1, [deployment('ecs-svc/1', 2, 'PRIMARY', 'COMPLETED')], arn(2))] });
    mock.on(UpdateServiceCommand).resolves({ service: service(0, []) });

    const { report, outputs } = await run(config({ source: { kind: 'scale-to-zero' } }));

    expect(updates()).toEqual([{ cluster: 'prod', service: 'notebook', desiredCount: 0 }]);
    expect(report).toMatchObject({ state: 'SCALED_TO_ZERO', scaledToZero: true, previousArn: arn(2) });
    expect(outputs).toEqual({
      'previous-task-definition-arn': arn(2),
      'task-definition-arn': '',
      'kernel-task-definition-arn': '',
      'deployment-id': '',
      'rollout-state': 'SCALED_TO_ZERO',
      'duration-seconds': '0',
    });
    expect(mock.commandCalls(DescribeTaskDefinitionCommand)).toHaveLength(0);
  });

  it('leaves a service that already asks for no task alone', async () => {
    mock.on(DescribeServicesCommand).resolves({ services: [service(0, [])] });
    const { report, lines } = await run(config({ source: { kind: 'scale-to-zero' } }));
    expect(updates()).toEqual([]);
    expect(report).toMatchObject({ state: 'SCALED_TO_ZERO', scaledToZero: false, previousArn: '' });
    expect(lines).toContain('Service prod/notebook already asks for no task: nothing to scale to zero.');
  });
});
