import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  DescribeServicesCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  StartTaskCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';
import { connect } from 'node:net';
import { startFakeEcs, type FakeEcs } from '../src/index';

// The scripted ECS fake (src/fake-ecs.ts) seen through the real SDK, reached only via
// AWS_ENDPOINT_URL_ECS: what the deploy-ecs tests, its benchmark and the local rehearsal rely on.

let fake: FakeEcs;
let client: ECSClient;
let running: string;
const saved = { ...process.env };
beforeEach(async () => {
  fake = await startFakeEcs();
  Object.assign(process.env, fake.env);
  delete process.env.AWS_ENDPOINT_URL;
  client = new ECSClient({ maxAttempts: 3 });
  running = fake.registerTaskDefinition({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx:1' }] });
  fake.createService({ cluster: 'c', service: 'web', taskDefinition: running });
});
afterEach(async () => {
  process.env = { ...saved };
  await fake.stop();
});

async function update(image: string) {
  const registered = await client.send(
    new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'web', image }] }),
  );
  return client.send(
    new UpdateServiceCommand({ cluster: 'c', service: 'web', taskDefinition: registered.taskDefinition?.taskDefinitionArn }),
  );
}
const describeWeb = async () =>
  (await client.send(new DescribeServicesCommand({ cluster: 'c', services: ['web'] }))).services?.[0];

describe('the fake ECS', () => {
  it('outlives a client that goes away in the middle of a request', async () => {
    const { port } = new URL(fake.endpoint);
    const socket = connect(Number(port), '127.0.0.1');
    await new Promise<void>((resolve) => socket.once('connect', resolve));
    socket.write('POST / HTTP/1.1\r\nHost: ecs\r\nContent-Length: 1000\r\n\r\n{"cluster":');
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect((await describeWeb())?.serviceName).toBe('web');
  });

  it('starts a PRIMARY deployment on UpdateService and plays its script poll by poll', async () => {
    fake.scriptRollouts({ outcome: 'COMPLETED', afterPolls: 2 });
    const updated = await update('nginx:2');
    const [ours, old] = updated.service?.deployments ?? [];
    expect(ours).toMatchObject({ status: 'PRIMARY', rolloutState: 'IN_PROGRESS', taskDefinition: expect.stringMatching(/web:2$/) });
    expect(old).toMatchObject({ status: 'ACTIVE', taskDefinition: running });

    expect((await describeWeb())?.deployments?.[0]).toMatchObject({ rolloutState: 'IN_PROGRESS', pendingCount: 1 });
    const done = await describeWeb();
    expect(done?.deployments).toEqual([expect.objectContaining({ id: ours?.id, rolloutState: 'COMPLETED', runningCount: 1 })]);
    expect(done?.events?.map((event) => event.message)).toEqual([
      '(service web) has reached a steady state.',
      `(service web) (deployment ${ours?.id}) deployment completed.`,
      '(service web) has started 1 tasks.',
    ]);
    expect(fake.rollouts()).toEqual([expect.objectContaining({ deploymentId: ours?.id, settledAt: expect.any(Number) })]);
  });

  it('honours desiredCount: a new deployment starts at it, and without one the service scales at once', async () => {
    await client.send(new UpdateServiceCommand({ cluster: 'c', service: 'web', desiredCount: 0 }));
    expect(await describeWeb()).toMatchObject({
      desiredCount: 0,
      runningCount: 0,
      deployments: [expect.objectContaining({ desiredCount: 0, rolloutState: 'COMPLETED' })],
    });
    expect(fake.rollouts()).toEqual([]);

    const started = await client.send(
      new UpdateServiceCommand({ cluster: 'c', service: 'web', desiredCount: 2, forceNewDeployment: true }),
    );
    expect(started.service?.deployments?.[0]).toMatchObject({ status: 'PRIMARY', desiredCount: 2, taskDefinition: running });
    await describeWeb();
    expect(await describeWeb()).toMatchObject({ desiredCount: 2, runningCount: 2 });
  });

  it('settles time-scripted rollouts at the scripted moment, which the SDK waiter then sees as stable', async () => {
    fake.scriptRollouts({ outcome: 'COMPLETED', afterMs: 300 });
    await update('nginx:2');
    await waitUntilServicesStable({ client, minDelay: 0.1, maxDelay: 0.2, maxWaitTime: 10 }, { cluster: 'c', services: ['web'] });
    const [rollout] = fake.rollouts();
    expect((rollout?.settledAt ?? 0) - (rollout?.createdAt ?? 0)).toBe(300);
  });

  it('keeps the stopped tasks of a failing rollout for ListTasks (STOPPED) and DescribeTasks', async () => {
    fake.scriptRollouts({
      outcome: 'FAILED',
      afterPolls: 1,
      stoppedTasks: [{ stoppedReason: 'Essential container in task exited', containers: [{ name: 'web', exitCode: 2 }] }],
    });
    const updated = await update('nginx:broken');
    const deploymentId = updated.service?.deployments?.[0]?.id;
    expect((await describeWeb())?.deployments?.[0]).toMatchObject({ rolloutState: 'FAILED', failedTasks: 1 });
    expect((await client.send(new ListTasksCommand({ cluster: 'c', serviceName: 'web' }))).taskArns).toEqual([]);
    const { taskArns } = await client.send(new ListTasksCommand({ cluster: 'c', serviceName: 'web', desiredStatus: 'STOPPED' }));
    const { tasks, failures } = await client.send(new DescribeTasksCommand({ cluster: 'c', tasks: [...(taskArns ?? []), 'gone'] }));
    expect(tasks).toEqual([
      expect.objectContaining({
        startedBy: deploymentId,
        stopCode: 'EssentialContainerExited',
        containers: [expect.objectContaining({ name: 'web', exitCode: 2 })],
      }),
    ]);
    expect(failures).toEqual([{ arn: 'gone', reason: 'MISSING' }]);
  });

  it('pages ListTaskDefinitions and honours sort and status', async () => {
    await update('nginx:2');
    await update('nginx:3');
    const first = await client.send(new ListTaskDefinitionsCommand({ familyPrefix: 'web', sort: 'DESC', maxResults: 2 }));
    expect(first.taskDefinitionArns?.map((arn) => arn.slice(-5))).toEqual(['web:3', 'web:2']);
    const rest = await client.send(
      new ListTaskDefinitionsCommand({ familyPrefix: 'web', sort: 'DESC', maxResults: 2, nextToken: first.nextToken }),
    );
    expect(rest).toMatchObject({ taskDefinitionArns: [running] });
    expect(rest.nextToken).toBeUndefined();
  });

  it('throttles and denies on request, counting every call', async () => {
    fake.throttle('DescribeServices', 1);
    expect(await describeWeb()).toBeDefined();
    fake.deny('DescribeServices');
    await expect(describeWeb()).rejects.toMatchObject({
      name: 'AccessDeniedException',
      message: expect.stringContaining('is not authorized to perform: ecs:DescribeServices'),
    });
    await expect(client.send(new StartTaskCommand({ cluster: 'c', taskDefinition: 'web', containerInstances: ['i'] }))).rejects.toMatchObject({
      message: 'The fake ECS does not implement StartTask.',
    });
    expect(fake.calls()).toEqual({ DescribeServices: 3, StartTask: 1 });
    fake.resetCalls();
    expect(fake.calls()).toEqual({});
  });
});
