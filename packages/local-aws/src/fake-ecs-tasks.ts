import { randomBytes, randomUUID } from 'node:crypto';
import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { containerEnvironment } from './container-environment';
import { EcsError, mergeTags, type FakeTag, type Json } from './ecs-error';
import { startTaskMetadata, type TaskMetadataEndpoint } from './task-metadata';
import type { ContainerExit, ContainerProcess, TaskRunner } from './task-runner';

// The tasks RunTask starts in the local ECS: StopTask, ListTasks, DescribeTasks and their tags. Given a TaskRunner,
// each task's containers run as local processes: the task goes PROVISIONING → PENDING → ACTIVATING → RUNNING as they
// start, and STOPPED when an essential one exits or StopTask stops them. Each task has a loopback address of its own
// (127.0.0.2, .3...: Linux routes all of 127/8 to lo) as its network interface's private IPv4 address, and its
// containers a task metadata endpoint v4 reporting it. Without a runner, tasks are only modelled: RUNNING until
// stopped.

export interface TaskDefinitionRef {
  arn: string;
  family: string;
  revision: number;
  body: Json;
}

interface ContainerRecord {
  name: string;
  arn: string;
  runtimeId: string;
  definition: ContainerDefinition;
  lastStatus: string;
  exitCode?: number;
  reason?: string;
  process?: ContainerProcess;
}

interface TaskRecord {
  arn: string;
  cluster: string;
  clusterArn: string;
  definition: TaskDefinitionRef;
  lastStatus: string;
  desiredStatus: 'RUNNING' | 'STOPPED';
  launchType: string;
  startedBy?: string;
  group: string;
  overrides: Json;
  tags: FakeTag[];
  cpu?: string;
  memory?: string;
  subnet?: string;
  address: string;
  awsvpc: boolean;
  attachmentId: string;
  eni: string;
  mac: string;
  containers: ContainerRecord[];
  version: number;
  times: Partial<Record<'createdAt' | 'pullStartedAt' | 'pullStoppedAt' | 'startedAt' | 'connectivityAt' | 'stoppingAt' | 'stoppedAt', number>>;
  stopCode?: string;
  stoppedReason?: string;
}

export interface EcsTasks {
  operations: Record<string, (input: Json) => Json>;
  /** The task ARNs ListTasks lists for these filters (serviceName aside). */
  list(cluster: string, input: Json): string[];
  describe(cluster: string, reference: string, withTags: boolean): Json | undefined;
  byArn(arn: string): { tags: FakeTag[] } | undefined;
  close(): Promise<void>;
}

const STEP_MS = 100;
const DEFAULT_STOP_TIMEOUT_SECONDS = 30;
const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1_000);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const lastSegment = (nameOrArn: string) => nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** 127.0.0.2 on: the next loopback address no live task holds. */
function addresses() {
  let next = 2;
  const held = new Set<number>();
  const text = (n: number) => `127.${(n >> 16) & 255}.${(n >> 8) & 255}.${n & 255}`;
  return {
    take(): string {
      while (held.has(next) || (next & 255) === 0 || (next & 255) === 255) next = next >= 0xfffffe ? 2 : next + 1;
      held.add(next);
      return text(next);
    },
    release(address: string) {
      const [, a = 0, b = 0, c = 0] = address.split('.').map(Number);
      held.delete((a << 16) | (b << 8) | c);
    },
  };
}

export function ecsTasks({
  arnPrefix,
  region,
  findCluster,
  findTaskDefinition,
  runner,
}: {
  arnPrefix: string;
  region: string;
  findCluster: (nameOrArn: unknown) => { name: string; arn: string };
  findTaskDefinition: (reference: string) => TaskDefinitionRef;
  runner?: TaskRunner;
}): EcsTasks {
  const tasks: TaskRecord[] = [];
  const loopback = addresses();
  let metadata: Promise<TaskMetadataEndpoint> | undefined;
  let closing = false;

  function change(task: TaskRecord, lastStatus: string) {
    task.lastStatus = lastStatus;
    task.version += 1;
  }

  function containerOverride(task: TaskRecord, name: string): Json | undefined {
    return ((task.overrides.containerOverrides as Json[] | undefined) ?? []).find((override) => override.name === name);
  }

  function find(cluster: string, reference: string): TaskRecord | undefined {
    return tasks.find((task) => task.cluster === cluster && (task.arn === reference || lastSegment(task.arn) === reference));
  }

  function render(task: TaskRecord, withTags = false): Json {
    const stopped = task.lastStatus === 'STOPPED';
    const attachmentStatus = stopped ? 'DELETED' : task.lastStatus === 'RUNNING' ? 'ATTACHED' : 'PRECREATED';
    return {
      taskArn: task.arn,
      clusterArn: task.clusterArn,
      taskDefinitionArn: task.definition.arn,
      lastStatus: task.lastStatus,
      desiredStatus: task.desiredStatus,
      launchType: task.launchType,
      ...(task.launchType === 'FARGATE' ? { platformVersion: '1.4.0', platformFamily: 'Linux' } : {}),
      ...(task.cpu ? { cpu: task.cpu } : {}),
      ...(task.memory ? { memory: task.memory } : {}),
      ...(task.startedBy ? { startedBy: task.startedBy } : {}),
      group: task.group,
      overrides: task.overrides,
      availabilityZone: `${region}a`,
      version: task.version,
      healthStatus: 'UNKNOWN',
      enableExecuteCommand: false,
      ...(task.times.connectivityAt ? { connectivity: 'CONNECTED' } : {}),
      ...Object.fromEntries(Object.entries(task.times).map(([key, value]) => [key, seconds(value)])),
      ...(task.stopCode ? { stopCode: task.stopCode } : {}),
      ...(task.stoppedReason !== undefined ? { stoppedReason: task.stoppedReason } : {}),
      attachments: task.awsvpc
        ? [
            {
              id: task.attachmentId,
              type: 'ElasticNetworkInterface',
              status: attachmentStatus,
              details: [
                ...(task.subnet ? [{ name: 'subnetId', value: task.subnet }] : []),
                { name: 'networkInterfaceId', value: task.eni },
                { name: 'macAddress', value: task.mac },
                { name: 'privateDnsName', value: `ip-${task.address.replaceAll('.', '-')}.ec2.internal` },
                { name: 'privateIPv4Address', value: task.address },
              ],
            },
          ]
        : [],
      containers: task.containers.map((container) => ({
        containerArn: container.arn,
        taskArn: task.arn,
        name: container.name,
        ...(container.definition.image ? { image: container.definition.image } : {}),
        runtimeId: container.runtimeId,
        lastStatus: container.lastStatus,
        ...(container.exitCode !== undefined ? { exitCode: container.exitCode } : {}),
        ...(container.reason !== undefined ? { reason: container.reason } : {}),
        networkInterfaces: task.awsvpc && !stopped ? [{ attachmentId: task.attachmentId, privateIpv4Address: task.address }] : [],
        healthStatus: 'UNKNOWN',
        cpu: String(container.definition.cpu ?? 0),
        ...(container.definition.memory ? { memory: String(container.definition.memory) } : {}),
      })),
      ...(withTags ? { tags: task.tags } : {}),
    };
  }

  /** The v4 metadata of one container and of its task, as Fargate's endpoint answers them. */
  function metadataOf(task: TaskRecord, container: ContainerRecord): { container: Json; task: Json } {
    const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());
    const describeContainer = (record: ContainerRecord): Json => ({
      DockerId: record.runtimeId,
      Name: record.name,
      DockerName: `ecs-${task.definition.family}-${task.definition.revision}-${record.name}`,
      Image: record.definition.image ?? '',
      Labels: {
        'com.amazonaws.ecs.cluster': task.clusterArn,
        'com.amazonaws.ecs.container-name': record.name,
        'com.amazonaws.ecs.task-arn': task.arn,
        'com.amazonaws.ecs.task-definition-family': task.definition.family,
        'com.amazonaws.ecs.task-definition-version': String(task.definition.revision),
      },
      DesiredStatus: task.desiredStatus,
      KnownStatus: record.lastStatus,
      ...(record.exitCode !== undefined ? { ExitCode: record.exitCode } : {}),
      Limits: { CPU: record.definition.cpu ?? 0, ...(record.definition.memory ? { Memory: record.definition.memory } : {}) },
      CreatedAt: iso(task.times.createdAt),
      StartedAt: iso(task.times.startedAt),
      Type: 'NORMAL',
      ContainerARN: record.arn,
      Networks: [
        {
          NetworkMode: task.awsvpc ? 'awsvpc' : 'bridge',
          IPv4Addresses: [task.address],
          AttachmentIndex: 0,
          MACAddress: task.mac,
          IPv4SubnetCIDRBlock: '127.0.0.0/8',
          PrivateDNSName: `ip-${task.address.replaceAll('.', '-')}.ec2.internal`,
          SubnetGatewayIpv4Address: '127.0.0.1/8',
        },
      ],
    });
    return {
      container: describeContainer(container),
      task: {
        Cluster: task.clusterArn,
        TaskARN: task.arn,
        Family: task.definition.family,
        Revision: String(task.definition.revision),
        DesiredStatus: task.desiredStatus,
        KnownStatus: task.lastStatus,
        Limits: {
          ...(task.cpu ? { CPU: Number(task.cpu) / 1024 } : {}),
          ...(task.memory ? { Memory: Number(task.memory) } : {}),
        },
        PullStartedAt: iso(task.times.pullStartedAt),
        PullStoppedAt: iso(task.times.pullStoppedAt),
        AvailabilityZone: `${region}a`,
        LaunchType: task.launchType,
        Containers: task.containers.map(describeContainer),
      },
    };
  }

  /** What the container runs, with what environment (secrets read as the ECS agent reads them). */
  async function launchOf(task: TaskRecord, container: ContainerRecord, metadataUri: string) {
    const override = containerOverride(task, container.name);
    const command = [...(container.definition.entryPoint ?? []), ...((override?.command as string[] | undefined) ?? container.definition.command ?? [])];
    if (command.length === 0) {
      throw new Error(
        `CannotStartContainerError: the local ECS runs a container's entryPoint and command, not its image's own: ${container.name} has neither`,
      );
    }
    const environment: Record<string, string> = {
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_EXECUTION_ENV: task.launchType === 'FARGATE' ? 'AWS_ECS_FARGATE' : 'AWS_ECS_EC2',
      ...(await containerEnvironment(container.definition, (runner as TaskRunner).readSecret)),
    };
    for (const { name, value } of (override?.environment as Array<{ name?: string; value?: string }> | undefined) ?? []) {
      if (name) environment[name] = value ?? '';
    }
    environment.ECS_CONTAINER_METADATA_URI_V4 = metadataUri;
    return { taskArn: task.arn, container: container.name, command, environment };
  }

  // A function, not a comparison: StopTask can change it while launch() awaits.
  const stopping = (task: TaskRecord) => task.desiredStatus === 'STOPPED';

  async function launch(task: TaskRecord): Promise<void> {
    await sleep(STEP_MS);
    if (stopping(task)) return;
    change(task, 'PENDING');
    task.times.pullStartedAt = Date.now();
    if (!runner) {
      task.times.pullStoppedAt = Date.now();
      for (const container of task.containers) container.lastStatus = 'RUNNING';
      task.times.startedAt = task.times.connectivityAt = Date.now();
      change(task, 'RUNNING');
      return;
    }
    metadata ??= startTaskMetadata();
    const endpoint = await metadata;
    let launches;
    try {
      launches = await Promise.all(
        task.containers.map((container) => launchOf(task, container, endpoint.serve(container.runtimeId, () => metadataOf(task, container)))),
      );
    } catch (error) {
      const message = (error as Error).message;
      const initError = message.startsWith('CannotStartContainerError') ? message : `ResourceInitializationError: ${message}`;
      return settle(task, 'TaskFailedToStart', initError);
    }
    task.times.pullStoppedAt = task.times.connectivityAt = Date.now();
    for (const [index, container] of task.containers.entries()) {
      if (stopping(task)) break;
      try {
        container.process = await runner.start(launches[index] as (typeof launches)[number]);
      } catch (error) {
        container.reason = `CannotStartContainerError: ${(error as Error).message}`;
        return stopContainers(task, 'TaskFailedToStart', container.reason);
      }
      container.lastStatus = 'RUNNING';
      void container.process.exited.then((exit) => exited(task, container, exit));
    }
    if (stopping(task)) return stopContainers(task);
    change(task, 'ACTIVATING');
    await sleep(STEP_MS);
    if (stopping(task)) return;
    task.times.startedAt = Date.now();
    change(task, 'RUNNING');
  }

  function exited(task: TaskRecord, container: ContainerRecord, exit: ContainerExit) {
    container.lastStatus = 'STOPPED';
    container.exitCode = exit.exitCode;
    container.process = undefined;
    if (container.definition.essential !== false && task.desiredStatus === 'RUNNING') {
      // An essential container's exit stops the task, as in ECS: the other containers are stopped too.
      void stopContainers(task, 'EssentialContainerExited', 'Essential container in task exited');
      return;
    }
    if (task.containers.every((candidate) => !candidate.process) && task.desiredStatus === 'STOPPED') settle(task);
  }

  function stopTimeoutMs(container: ContainerRecord): number {
    const asked = container.definition.stopTimeout ?? DEFAULT_STOP_TIMEOUT_SECONDS;
    return Math.min(asked, runner?.maxStopTimeoutSeconds ?? asked) * 1_000;
  }

  /** desiredStatus STOPPED, then each running container stopped as `docker stop` does; STOPPED once all exited. */
  async function stopContainers(task: TaskRecord, stopCode?: string, reason?: string): Promise<void> {
    if (task.desiredStatus === 'RUNNING') {
      task.desiredStatus = 'STOPPED';
      task.stopCode = stopCode;
      task.stoppedReason = reason;
      task.times.stoppingAt = Date.now();
      task.version += 1;
    }
    const running = task.containers.filter((container) => container.process);
    if (running.length === 0) return settle(task);
    change(task, 'DEACTIVATING');
    await Promise.all(running.map((container) => container.process?.stop(stopTimeoutMs(container))));
  }

  function settle(task: TaskRecord, stopCode?: string, reason?: string) {
    if (task.lastStatus === 'STOPPED') return;
    if (task.desiredStatus === 'RUNNING') {
      task.desiredStatus = 'STOPPED';
      task.stopCode = stopCode;
      task.stoppedReason = reason;
      task.times.stoppingAt = Date.now();
    }
    for (const container of task.containers) {
      container.lastStatus = 'STOPPED';
      void metadata?.then((endpoint) => endpoint.forget(container.runtimeId));
    }
    task.times.stoppedAt = Date.now();
    loopback.release(task.address);
    change(task, 'STOPPED');
  }

  function runTask(input: Json): Json {
    const cluster = findCluster(input.cluster);
    const definition = findTaskDefinition(String(input.taskDefinition ?? ''));
    if (definition.body.status !== 'ACTIVE') throw new EcsError('ClientException', 'TaskDefinition is inactive');
    const count = input.count === undefined ? 1 : Number(input.count);
    if (!Number.isInteger(count) || count < 1 || count > 10) throw new EcsError('InvalidParameterException', 'count must be between 1 and 10.');
    const startedBy = input.startedBy as string | undefined;
    if (startedBy !== undefined && !/^[A-Za-z0-9_/-]{1,128}$/.test(startedBy)) {
      throw new EcsError('InvalidParameterException', 'startedBy must be up to 128 letters, numbers, hyphens, forward slashes and underscores.');
    }
    const awsvpc = definition.body.networkMode === 'awsvpc';
    const vpc = (input.networkConfiguration as { awsvpcConfiguration?: { subnets?: string[] } } | undefined)?.awsvpcConfiguration;
    if (awsvpc && !vpc?.subnets?.length) {
      throw new EcsError('InvalidParameterException', "Network Configuration must be provided when networkMode 'awsvpc' is specified.");
    }
    const overrides: Json = { containerOverrides: [], inferenceAcceleratorOverrides: [], ...(input.overrides as Json | undefined) };
    const containers = definition.body.containerDefinitions as ContainerDefinition[];
    for (const override of overrides.containerOverrides as Json[]) {
      if (!containers.some((container) => container.name === override.name)) {
        throw new EcsError('InvalidParameterException', `Override for container named ${String(override.name)} is not a container in the TaskDefinition.`);
      }
    }
    const tags = mergeTags([], (input.tags as FakeTag[] | undefined) ?? []);
    const started: TaskRecord[] = [];
    for (let index = 0; index < count; index += 1) {
      const id = hex(16);
      const arn = `${arnPrefix}:task/${cluster.name}/${id}`;
      const task: TaskRecord = {
        arn,
        cluster: cluster.name,
        clusterArn: cluster.arn,
        definition,
        lastStatus: 'PROVISIONING',
        desiredStatus: 'RUNNING',
        launchType: String(input.launchType ?? 'FARGATE'),
        startedBy,
        group: String(input.group ?? `family:${definition.family}`),
        overrides,
        tags,
        cpu: (overrides.cpu as string | undefined) ?? (definition.body.cpu as string | undefined),
        memory: (overrides.memory as string | undefined) ?? (definition.body.memory as string | undefined),
        subnet: vpc?.subnets?.[0],
        address: loopback.take(),
        awsvpc,
        attachmentId: randomUUID(),
        eni: `eni-${hex(8)}`,
        mac: `0e:${hex(5).replace(/(..)(?!$)/g, '$1:')}`,
        containers: containers.map((container) => ({
          name: String(container.name),
          arn: `${arnPrefix}:container/${cluster.name}/${id}/${randomUUID()}`,
          runtimeId: `${id}-${BigInt(`0x${hex(4)}`)}`,
          definition: container,
          lastStatus: 'PENDING',
        })),
        version: 1,
        times: { createdAt: Date.now() },
      };
      tasks.push(task);
      started.push(task);
      void launch(task).catch((error: Error) => settle(task, 'TaskFailedToStart', `ResourceInitializationError: ${error.message}`));
    }
    return { tasks: started.map((task) => render(task)), failures: [] };
  }

  return {
    operations: {
      RunTask: runTask,
      StopTask(input) {
        const cluster = findCluster(input.cluster).name;
        const task = find(cluster, String(input.task ?? ''));
        if (!task) throw new EcsError('InvalidParameterException', 'The referenced task was not found.');
        const reason = input.reason === undefined ? 'Task stopped by user' : String(input.reason);
        if (reason.length > 255) throw new EcsError('InvalidParameterException', 'reason can be up to 255 characters.');
        const answer = { ...render(task), desiredStatus: 'STOPPED' };
        if (task.desiredStatus === 'RUNNING') {
          // StopTask deletes the task's tags, as the API reference says.
          task.tags = [];
          void stopContainers(task, 'UserInitiated', reason);
        }
        return { task: answer };
      },
    },
    list(cluster, input) {
      const desired = (input.desiredStatus as string | undefined) ?? 'RUNNING';
      return tasks
        .filter(
          (task) =>
            task.cluster === cluster &&
            task.desiredStatus === desired &&
            (input.family === undefined || task.definition.family === input.family) &&
            (input.startedBy === undefined || task.startedBy === input.startedBy) &&
            (input.launchType === undefined || task.launchType === input.launchType),
        )
        .map((task) => task.arn);
    },
    describe(cluster, reference, withTags) {
      const task = find(cluster, reference);
      return task && render(task, withTags);
    },
    byArn: (arn) => tasks.find((task) => task.arn === arn),
    async close() {
      if (closing) return;
      closing = true;
      await Promise.all(tasks.filter((task) => task.lastStatus !== 'STOPPED').map((task) => stopContainers(task, 'UserInitiated', 'The local ECS stopped')));
      await (await metadata)?.stop();
    },
  };
}
