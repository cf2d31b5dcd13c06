import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTagsForResourceCommand,
  ListTasksCommand,
  RunTaskCommand,
  StopTaskCommand,
  TagResourceCommand,
  type RunTaskCommandInput,
  type Task,
} from '@aws-sdk/client-ecs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { localTaskRunner, startFakeEcs, type FakeEcs } from '../src/index';

// RunTask's tasks in the local ECS, run as local processes by a task runner and seen through the real SDK: their
// environment, their own loopback address and metadata endpoint, their statuses, and how they stop.

// The container: reports what it sees (environment, its metadata endpoint, its PID), then exits with the code
// asked for, or runs until stopped (ignoring SIGTERM when asked to).
const CONTAINER = `
const uri = process.env.ECS_CONTAINER_METADATA_URI_V4;
const [task, container] = await Promise.all([fetch(uri + '/task'), fetch(uri)].map(async (r) => (await r).json()));
const env = Object.fromEntries(['GREETING', 'TOKEN', 'NOTEBOOK', 'AWS_REGION', 'HOME_SECRET'].map((n) => [n, process.env[n]]));
console.log(JSON.stringify({ pid: process.pid, env, task, container }));
const [mode, code] = process.argv.slice(2);
if (mode === 'exit') process.exit(Number(code));
if (mode === 'stubborn') process.on('SIGTERM', () => console.log('ignoring SIGTERM'));
setInterval(() => {}, 1000);
`;

let dir: string;
let script: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'fake-ecs-tasks-'));
  script = join(dir, 'container.mjs');
  await writeFile(script, CONTAINER);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

interface Report {
  pid: number;
  env: Record<string, string | undefined>;
  task: Record<string, unknown>;
  container: Record<string, unknown>;
}

let fake: FakeEcs;
let client: ECSClient;
let output: Map<string, string>;
const SUBNETS = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'] } };

beforeEach(async () => {
  output = new Map();
  fake = await startFakeEcs({
    taskRunner: localTaskRunner({
      executable: (name) => (name === 'node' ? process.execPath : name),
      cwd: dir,
      baseEnvironment: { PATH: process.env.PATH ?? '' },
      readSecret: async (arn) => (arn === 'arn:token' ? 's3cret' : undefined),
      onOutput: (launch, chunk) => output.set(launch.taskArn, (output.get(launch.taskArn) ?? '') + chunk),
      maxStopTimeoutSeconds: 1,
    }),
  });
  client = new ECSClient({ region: fake.region, endpoint: fake.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
  fake.registerTaskDefinition({
    family: 'kernel',
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    containerDefinitions: [
      {
        name: 'kernel',
        image: 'app:1',
        entryPoint: ['node'],
        command: [script, 'run'],
        environment: [
          { name: 'GREETING', value: 'from the definition' },
          { name: 'NOTEBOOK', value: 'none' },
        ],
        secrets: [{ name: 'TOKEN', valueFrom: 'arn:token' }],
      },
    ],
  });
  await client.send(new CreateClusterCommand({ clusterName: 'c' }));
});
afterEach(() => fake.stop());

const run = async (input: Partial<RunTaskCommandInput> = {}) => {
  const { tasks, failures } = await client.send(
    new RunTaskCommand({ cluster: 'c', taskDefinition: 'kernel', launchType: 'FARGATE', networkConfiguration: SUBNETS, ...input }),
  );
  expect(failures).toEqual([]);
  return tasks?.[0] as Task;
};
const describeTask = async (arn: string, include?: 'TAGS') =>
  (await client.send(new DescribeTasksCommand({ cluster: 'c', tasks: [arn], include: include && [include] }))).tasks?.[0] as Task;

async function until(arn: string, lastStatus: string, timeoutMs = 10_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await describeTask(arn);
    if (task.lastStatus === lastStatus) return task;
    if (Date.now() > deadline) throw new Error(`${arn} is ${task.lastStatus}, not ${lastStatus}, after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
async function report(arn: string): Promise<Report> {
  const deadline = Date.now() + 10_000;
  while (!output.get(arn)?.includes('\n')) {
    if (Date.now() > deadline) throw new Error(`the task said nothing: ${output.get(arn)}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return JSON.parse((output.get(arn) ?? '').split('\n')[0] as string) as Report;
}
const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};
const address = (task: Task) =>
  task.attachments?.[0]?.details?.find((detail) => detail.name === 'privateIPv4Address')?.value;

describe('RunTask in the local ECS', () => {
  it('runs the container with its environment, secrets and overrides, and its own address and metadata endpoint', async () => {
    const started = await run({
      startedBy: 'notebook-kernel',
      overrides: {
        cpu: '1024',
        memory: '4096',
        containerOverrides: [{ name: 'kernel', environment: [{ name: 'NOTEBOOK', value: 'n1' }] }],
      },
      tags: [{ key: 'notebook-id', value: 'n1' }],
    });
    expect(started).toMatchObject({
      lastStatus: 'PROVISIONING',
      desiredStatus: 'RUNNING',
      startedBy: 'notebook-kernel',
      group: 'family:kernel',
      cpu: '1024',
      memory: '4096',
      launchType: 'FARGATE',
      overrides: { containerOverrides: [{ name: 'kernel', environment: [{ name: 'NOTEBOOK', value: 'n1' }] }], cpu: '1024', memory: '4096' },
      attachments: [expect.objectContaining({ type: 'ElasticNetworkInterface' })],
    });
    const ip = address(started);
    expect(ip).toMatch(/^127\.0\.0\.\d+$/);
    expect(ip).not.toBe('127.0.0.1');

    const running = await until(started.taskArn as string, 'RUNNING');
    expect(running.containers?.[0]).toMatchObject({ name: 'kernel', lastStatus: 'RUNNING', networkInterfaces: [{ privateIpv4Address: ip }] });
    const seen = await report(started.taskArn as string);
    expect(seen.env).toEqual({ GREETING: 'from the definition', TOKEN: 's3cret', NOTEBOOK: 'n1', AWS_REGION: 'us-east-1' });
    expect(seen.task).toMatchObject({
      TaskARN: started.taskArn,
      Cluster: started.clusterArn,
      Family: 'kernel',
      Revision: '1',
      Containers: [expect.objectContaining({ Name: 'kernel', Networks: [expect.objectContaining({ IPv4Addresses: [ip] })] })],
    });
    expect(seen.container).toMatchObject({ Name: 'kernel', Networks: [expect.objectContaining({ NetworkMode: 'awsvpc', IPv4Addresses: [ip] })] });
    expect(alive(seen.pid)).toBe(true);
  });

  it('is STOPPED with the exit code when its essential container exits by itself', async () => {
    const started = await run({ overrides: { containerOverrides: [{ name: 'kernel', command: [script, 'exit', '3'] }] } });
    const stopped = await until(started.taskArn as string, 'STOPPED');
    expect(stopped).toMatchObject({
      desiredStatus: 'STOPPED',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      containers: [expect.objectContaining({ name: 'kernel', lastStatus: 'STOPPED', exitCode: 3 })],
      attachments: [expect.objectContaining({ status: 'DELETED' })],
    });
    expect(stopped.startedAt).toBeDefined();
    expect(stopped.stoppedAt).toBeDefined();
  });

  it('StopTask stops the process, with SIGKILL after the stop timeout when SIGTERM is ignored', async () => {
    const polite = await run();
    const stubborn = await run({ overrides: { containerOverrides: [{ name: 'kernel', command: [script, 'stubborn'] }] } });
    expect(address(polite)).not.toBe(address(stubborn));
    const [first, second] = await Promise.all([report(polite.taskArn as string), report(stubborn.taskArn as string)]);
    await until(stubborn.taskArn as string, 'RUNNING');

    const answer = await client.send(new StopTaskCommand({ cluster: 'c', task: polite.taskArn, reason: 'idle for 30 minutes' }));
    expect(answer.task).toMatchObject({ desiredStatus: 'STOPPED' });
    await client.send(new StopTaskCommand({ cluster: 'c', task: stubborn.taskArn }));
    expect(await until(polite.taskArn as string, 'STOPPED')).toMatchObject({
      stopCode: 'UserInitiated',
      stoppedReason: 'idle for 30 minutes',
      containers: [expect.objectContaining({ exitCode: 143 })],
    });
    expect(alive(first.pid)).toBe(false);
    const killed = await until(stubborn.taskArn as string, 'STOPPED', 5_000);
    expect(killed).toMatchObject({ stoppedReason: 'Task stopped by user', containers: [expect.objectContaining({ exitCode: 137 })] });
    expect(output.get(stubborn.taskArn as string)).toContain('ignoring SIGTERM');
    expect(alive(second.pid)).toBe(false);
  });

  it('lists tasks by family, startedBy and desired status, and describes and tags them', async () => {
    fake.registerTaskDefinition({
      family: 'other',
      containerDefinitions: [{ name: 'other', image: 'x', entryPoint: ['node'], command: [script, 'run'] }],
    });
    const kernel = await run({ startedBy: 'notebook-kernel', tags: [{ key: 'notebook-id', value: 'n1' }] });
    const unclaimed = await run({ startedBy: 'notebook-kernel', tags: [{ key: 'notebook-id', value: '' }] });
    const other = await run({ taskDefinition: 'other', networkConfiguration: undefined });
    const list = async (filters: Record<string, string>) => (await client.send(new ListTasksCommand({ cluster: 'c', ...filters }))).taskArns;

    expect(await list({})).toEqual([kernel.taskArn, unclaimed.taskArn, other.taskArn]);
    expect(await list({ family: 'kernel', desiredStatus: 'RUNNING' })).toEqual([kernel.taskArn, unclaimed.taskArn]);
    expect(await list({ startedBy: 'notebook-kernel' })).toEqual([kernel.taskArn, unclaimed.taskArn]);
    expect(await list({ desiredStatus: 'STOPPED' })).toEqual([]);

    await client.send(new TagResourceCommand({ resourceArn: unclaimed.taskArn, tags: [{ key: 'notebook-id', value: 'n2' }] }));
    expect((await describeTask(unclaimed.taskArn as string, 'TAGS')).tags).toEqual([{ key: 'notebook-id', value: 'n2' }]);
    expect((await describeTask(unclaimed.taskArn as string)).tags).toBeUndefined();
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: kernel.taskArn }))).tags).toEqual([{ key: 'notebook-id', value: 'n1' }]);

    await client.send(new StopTaskCommand({ cluster: 'c', task: kernel.taskArn }));
    expect(await list({ family: 'kernel' })).toEqual([unclaimed.taskArn]);
    expect(await list({ family: 'kernel', desiredStatus: 'STOPPED' })).toEqual([kernel.taskArn]);
    const { tasks, failures } = await client.send(new DescribeTasksCommand({ cluster: 'c', tasks: [kernel.taskArn as string, 'gone'], include: ['TAGS'] }));
    expect(tasks).toEqual([expect.objectContaining({ taskArn: kernel.taskArn, desiredStatus: 'STOPPED', tags: [] })]);
    expect(failures).toEqual([{ arn: 'gone', reason: 'MISSING' }]);
  });

  it('refuses what ECS refuses, and fails a task whose secret cannot be read before it starts', async () => {
    await expect(run({ taskDefinition: 'missing' })).rejects.toMatchObject({ name: 'ClientException' });
    await expect(run({ cluster: 'nowhere' })).rejects.toMatchObject({ name: 'ClusterNotFoundException' });
    await expect(run({ networkConfiguration: undefined })).rejects.toMatchObject({
      name: 'InvalidParameterException',
      message: "Network Configuration must be provided when networkMode 'awsvpc' is specified.",
    });
    await expect(run({ overrides: { containerOverrides: [{ name: 'nobody' }] } })).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await expect(client.send(new StopTaskCommand({ cluster: 'c', task: 'gone' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });

    fake.registerTaskDefinition({
      family: 'kernel',
      networkMode: 'awsvpc',
      containerDefinitions: [{ name: 'kernel', image: 'x', command: ['node', script], secrets: [{ name: 'TOKEN', valueFrom: 'arn:gone' }] }],
    });
    const failed = await until((await run()).taskArn as string, 'STOPPED');
    expect(failed).toMatchObject({
      stopCode: 'TaskFailedToStart',
      stoppedReason: expect.stringMatching(/^ResourceInitializationError: .*arn:gone/),
    });
    expect(output.size).toBe(0);
  });

  it('stops the processes of running tasks when it stops', async () => {
    const started = await run();
    const { pid } = await report(started.taskArn as string);
    await fake.stop();
    expect(alive(pid)).toBe(false);
    fake = await startFakeEcs();
  });
});

describe('RunTask without a task runner', () => {
  it('models the task: RUNNING until StopTask, with no process started', async () => {
    const bare = await startFakeEcs();
    const ecs = new ECSClient({ region: bare.region, endpoint: bare.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
    try {
      bare.registerTaskDefinition({ family: 'job', containerDefinitions: [{ name: 'job', image: 'x' }] });
      await ecs.send(new CreateClusterCommand({ clusterName: 'default' }));
      const { tasks } = await ecs.send(new RunTaskCommand({ taskDefinition: 'job' }));
      const arn = tasks?.[0]?.taskArn as string;
      const describeBare = async () => (await ecs.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks?.[0];
      while ((await describeBare())?.lastStatus !== 'RUNNING') await new Promise((resolve) => setTimeout(resolve, 50));
      await ecs.send(new StopTaskCommand({ task: arn }));
      expect(await describeBare()).toMatchObject({ lastStatus: 'STOPPED', stopCode: 'UserInitiated', containers: [expect.objectContaining({ lastStatus: 'STOPPED' })] });
    } finally {
      await bare.stop();
    }
  });
});
