import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { EcsError, mergeTags, type FakeTag, type Json } from './ecs-error';
import { ecsClusters } from './fake-ecs-clusters';
import { ecsTasks } from './fake-ecs-tasks';
import type { TaskRunner } from './task-runner';

// A scripted Amazon ECS on loopback, speaking the JSON 1.1 protocol the SDK uses (X-Amz-Target
// `AmazonEC2ContainerServiceV20141113.<Operation>`), for what moto cannot show: rollouts that progress, fail,
// roll back or hang. SDK clients reach it only through AWS_ENDPOINT_URL_ECS. A service's running tasks are not
// modelled; the stopped tasks a failing rollout leaves behind are (ListTasks with desiredStatus STOPPED,
// DescribeTasks). RunTask's tasks are (fake-ecs-tasks.ts), and run as local processes when given a TaskRunner.
// It is also the ECS that Terraform manages: clusters, services and task definitions are created, described,
// updated, tagged and deleted through the API, and describe echoes what was sent, so a second plan sees no drift.

export type { FakeTag };

export type FakeRolloutOutcome = 'COMPLETED' | 'FAILED' | 'ROLLED_BACK' | 'NEVER';

export interface FakeStoppedTask {
  stoppedReason: string;
  stopCode?: string;
  containers: Array<{ name: string; exitCode?: number; reason?: string }>;
}

/** How the deployment created by the next UpdateService plays out. */
export interface FakeRolloutScript {
  /**
   * COMPLETED; FAILED (circuit breaker, deployment stays PRIMARY); ROLLED_BACK (circuit breaker with rollback:
   * a new PRIMARY deployment of the previous task definition replaces it); NEVER (IN_PROGRESS forever).
   */
  outcome: FakeRolloutOutcome;
  /** Settles on this DescribeServices call after the update (1 = the first call). */
  afterPolls?: number;
  /** Or settles this long after UpdateService, however often it is polled (for timing benchmarks). */
  afterMs?: number;
  /** Tasks of the deployment that stopped; visible from the update on, and counted as failedTasks. */
  stoppedTasks?: FakeStoppedTask[];
}

/** One deployment created by UpdateService, with when it reached its outcome. */
export interface FakeRollout {
  deploymentId: string;
  cluster: string;
  service: string;
  taskDefinition: string;
  script: FakeRolloutScript;
  createdAt: number;
  /** Epoch ms at which the outcome was reached (for `afterMs`, the exact scripted moment). */
  settledAt?: number;
}

export interface FakeServiceOptions {
  cluster: string;
  service: string;
  taskDefinition: string;
  desiredCount?: number;
  deploymentConfiguration?: Json;
  deploymentController?: 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';
}

export interface FakeEcsOptions {
  region?: string;
  accountId?: string;
  /** Played by an UpdateService when no script is queued; completes on the second poll by default. */
  defaultRollout?: FakeRolloutScript;
  /** Runs RunTask's tasks as local processes; without it they are only modelled. Stopped when the fake stops. */
  taskRunner?: TaskRunner;
}

export interface FakeEcs {
  endpoint: string;
  region: string;
  accountId: string;
  /** AWS_ENDPOINT_URL_ECS, dummy credentials and the region: what an SDK or an action bundle needs. */
  env: Record<string, string>;
  /** Registers like RegisterTaskDefinition (describe-only fields of a DescribeTaskDefinition payload are ignored). */
  registerTaskDefinition(definition: Json, tags?: FakeTag[]): string;
  /** A service (and its cluster) running `taskDefinition`, its one deployment COMPLETED. Returns the service ARN. */
  createService(options: FakeServiceOptions): string;
  /** Queues scripts for the next UpdateService calls that start a deployment, in order. */
  scriptRollouts(...scripts: FakeRolloutScript[]): void;
  /** The next `times` calls of `operation` fail with ThrottlingException (the SDK retries them). */
  throttle(operation: string, times: number): void;
  /** Every call of `operation` fails with AccessDeniedException, as for a role lacking `ecs:<operation>`. */
  deny(operation: string): void;
  /** Calls per operation since the start (or the last resetCalls), throttled and denied ones included. */
  calls(): Record<string, number>;
  resetCalls(): void;
  rollouts(): FakeRollout[];
  tagsOf(arn: string): FakeTag[];
  /** Stops the tasks' processes (by PID, as StopTask does) and the endpoint. */
  stop(): Promise<void>;
}

interface TaskDefinitionRecord {
  arn: string;
  family: string;
  revision: number;
  body: Json;
  tags: FakeTag[];
}

interface Deployment {
  id: string;
  status: 'PRIMARY' | 'ACTIVE';
  taskDefinition: string;
  desiredCount: number;
  runningCount: number;
  pendingCount: number;
  failedTasks: number;
  createdAt: number;
  updatedAt: number;
  rolloutState: 'IN_PROGRESS' | 'COMPLETED' | 'FAILED';
  rolloutStateReason: string;
  script?: FakeRolloutScript;
  polls: number;
  replacing?: Deployment;
  record?: FakeRollout;
}

interface ServiceRecord {
  arn: string;
  name: string;
  cluster: string;
  status: 'ACTIVE' | 'INACTIVE';
  /** What CreateService or UpdateService set among SERVICE_SETTINGS, described as it was sent. */
  settings: Json;
  taskDefinition: string;
  desiredCount: number;
  deploymentConfiguration: Json;
  deploymentController: string;
  deployments: Deployment[];
  events: Array<{ id: string; createdAt: number; message: string }>;
  tags: FakeTag[];
  createdAt: number;
}

interface StoppedTask {
  arn: string;
  cluster: string;
  service: string;
  deploymentId: string;
  taskDefinition: string;
  script: FakeStoppedTask;
  at: number;
}

const TARGET_PREFIX = 'AmazonEC2ContainerServiceV20141113.';
const DESCRIBE_ONLY = [
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
];
// The CreateService and UpdateService members that DescribeServices describes unchanged.
const SERVICE_SETTINGS = [
  'availabilityZoneRebalancing',
  'loadBalancers',
  'serviceRegistries',
  'launchType',
  'capacityProviderStrategy',
  'platformVersion',
  'placementConstraints',
  'placementStrategy',
  'networkConfiguration',
  'healthCheckGracePeriodSeconds',
  'schedulingStrategy',
  'enableECSManagedTags',
  'propagateTags',
  'enableExecuteCommand',
];
const DEFAULT_DEPLOYMENT_CONFIGURATION = {
  deploymentCircuitBreaker: { enable: false, rollback: false },
  maximumPercent: 200,
  minimumHealthyPercent: 100,
};
const seconds = (ms: number) => ms / 1_000;
const lastSegment = (nameOrArn: string) => nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
const newDeploymentId = () => `ecs-svc/${BigInt(`0x${randomBytes(8).toString('hex')}`) % 10n ** 19n}`;

export async function startFakeEcs(options: FakeEcsOptions = {}): Promise<FakeEcs> {
  const region = options.region ?? 'us-east-1';
  const accountId = options.accountId ?? '123456789012';
  const defaultRollout = options.defaultRollout ?? { outcome: 'COMPLETED', afterPolls: 2 };
  const arnPrefix = `arn:aws:ecs:${region}:${accountId}`;

  const taskDefinitions = new Map<string, TaskDefinitionRecord>();
  const services: ServiceRecord[] = [];
  const clusters = ecsClusters({
    arnPrefix,
    activeServices: (cluster) => services.filter((s) => s.cluster === cluster && s.status === 'ACTIVE').length,
  });
  const stoppedTasks: StoppedTask[] = [];
  const tasks = ecsTasks({ arnPrefix, region, findCluster: (name) => clusters.find(name), findTaskDefinition, runner: options.taskRunner });
  const scripts: FakeRolloutScript[] = [];
  const rollouts: FakeRollout[] = [];
  const throttled = new Map<string, number>();
  const denied = new Set<string>();
  let counts: Record<string, number> = {};

  function register(definition: Json, tags: FakeTag[] = []): TaskDefinitionRecord {
    const family = definition.family;
    if (typeof family !== 'string' || !/^[A-Za-z0-9_-]{1,255}$/.test(family)) {
      throw new EcsError('ClientException', 'Family must be 1-255 letters, numbers, hyphens and underscores.');
    }
    const containers = definition.containerDefinitions;
    if (!Array.isArray(containers) || containers.length === 0) {
      throw new EcsError('ClientException', 'Container list cannot be empty.');
    }
    const checkedTags = mergeTags([], tags);
    const revision = 1 + Math.max(0, ...[...taskDefinitions.values()].filter((t) => t.family === family).map((t) => t.revision));
    const arn = `${arnPrefix}:task-definition/${family}:${revision}`;
    const body: Json = { volumes: [], placementConstraints: [] };
    for (const [key, value] of Object.entries(definition)) {
      if (!DESCRIBE_ONLY.includes(key) && key !== 'tags' && value !== undefined && value !== null) body[key] = value;
    }
    // ECS fills these container defaults, so a describe never equals the bare registered JSON.
    body.containerDefinitions = (containers as Json[]).map((container) => ({
      cpu: 0,
      portMappings: [],
      essential: true,
      environment: [],
      mountPoints: [],
      volumesFrom: [],
      ...container,
    }));
    Object.assign(body, {
      taskDefinitionArn: arn,
      revision,
      status: 'ACTIVE',
      requiresAttributes: [],
      compatibilities: ['EC2', 'FARGATE'],
      registeredAt: seconds(Date.now()),
      registeredBy: `arn:aws:sts::${accountId}:assumed-role/deploy/fake-session`,
    });
    const record = { arn, family, revision, body, tags: checkedTags };
    taskDefinitions.set(arn, record);
    return record;
  }

  function findTaskDefinition(reference: string): TaskDefinitionRecord {
    const exact = taskDefinitions.get(reference) ?? taskDefinitions.get(`${arnPrefix}:task-definition/${reference}`);
    if (exact) return exact;
    const latest = [...taskDefinitions.values()]
      .filter((t) => t.family === reference && t.body.status === 'ACTIVE')
      .sort((a, b) => b.revision - a.revision)[0];
    if (latest) return latest;
    throw new EcsError('ClientException', 'Unable to describe task definition.');
  }

  function clusterOf(input: Json): string {
    return clusters.find(input.cluster).name;
  }

  /** The service of that name: the ACTIVE one, or else the last one deleted (ECS describes it as INACTIVE). */
  function findService(cluster: string, nameOrArn: string): ServiceRecord | undefined {
    const name = lastSegment(nameOrArn);
    const named = services.filter((s) => s.cluster === cluster && s.name === name);
    return named.find((s) => s.status === 'ACTIVE') ?? named[named.length - 1];
  }

  function activeService(cluster: string, nameOrArn: string): ServiceRecord {
    const service = findService(cluster, nameOrArn);
    if (!service) throw new EcsError('ServiceNotFoundException', 'Service not found.');
    if (service.status !== 'ACTIVE') throw new EcsError('ServiceNotActiveException', 'Service was not ACTIVE.');
    return service;
  }

  /** A service running `taskDefinition`, its one deployment COMPLETED at once (no rollout to watch at creation). */
  function addService(options: FakeServiceOptions & { settings: Json; tags?: FakeTag[] }): ServiceRecord {
    const cluster = clusters.ensure(options.cluster).name;
    if (findService(cluster, options.service)?.status === 'ACTIVE') {
      throw new EcsError('InvalidParameterException', 'Creation of service was not idempotent.');
    }
    const record: ServiceRecord = {
      arn: `${arnPrefix}:service/${cluster}/${options.service}`,
      name: options.service,
      cluster,
      status: 'ACTIVE',
      settings: options.settings,
      taskDefinition: findTaskDefinition(options.taskDefinition).arn,
      desiredCount: options.desiredCount ?? 1,
      deploymentConfiguration: options.deploymentConfiguration ?? DEFAULT_DEPLOYMENT_CONFIGURATION,
      deploymentController: options.deploymentController ?? 'ECS',
      deployments: [],
      events: [],
      tags: mergeTags([], options.tags ?? []),
      createdAt: Date.now(),
    };
    services.push(record);
    const first = startDeployment(record, record.taskDefinition, { outcome: 'COMPLETED', afterPolls: 0 });
    settle(record, first, Date.now());
    record.events = [];
    return record;
  }

  function addEvent(service: ServiceRecord, message: string): void {
    service.events.unshift({ id: randomUUID(), createdAt: Date.now(), message: `(service ${service.name}) ${message}` });
    service.events.length = Math.min(service.events.length, 100);
  }

  function startDeployment(service: ServiceRecord, taskDefinition: string, script: FakeRolloutScript, record?: FakeRollout) {
    const now = Date.now();
    const previous = service.deployments.find((d) => d.status === 'PRIMARY');
    if (previous) previous.status = 'ACTIVE';
    const deployment: Deployment = {
      id: record?.deploymentId ?? newDeploymentId(),
      status: 'PRIMARY',
      taskDefinition,
      desiredCount: service.desiredCount,
      runningCount: 0,
      pendingCount: 0,
      failedTasks: 0,
      createdAt: now,
      updatedAt: now,
      rolloutState: 'IN_PROGRESS',
      rolloutStateReason: '',
      script,
      polls: 0,
      replacing: previous,
      record,
    };
    deployment.rolloutStateReason = `ECS deployment ${deployment.id} in progress.`;
    service.deployments.unshift(deployment);
    service.taskDefinition = taskDefinition;
    return deployment;
  }

  function settle(service: ServiceRecord, deployment: Deployment, now: number): void {
    const script = deployment.script as FakeRolloutScript;
    deployment.updatedAt = now;
    if (deployment.record) {
      deployment.record.settledAt = script.afterMs !== undefined ? deployment.createdAt + script.afterMs : now;
    }
    if (script.outcome === 'COMPLETED') {
      Object.assign(deployment, { rolloutState: 'COMPLETED', runningCount: deployment.desiredCount, pendingCount: 0 });
      deployment.rolloutStateReason = `ECS deployment ${deployment.id} completed.`;
      service.deployments = [deployment];
      addEvent(service, `(deployment ${deployment.id}) deployment completed.`);
      addEvent(service, 'has reached a steady state.');
      return;
    }
    Object.assign(deployment, { rolloutState: 'FAILED', runningCount: 0, pendingCount: 0 });
    deployment.rolloutStateReason = 'ECS deployment circuit breaker: tasks failed to start.';
    addEvent(service, `(deployment ${deployment.id}) deployment failed: tasks failed to start.`);
    const previous = deployment.replacing;
    if (script.outcome === 'ROLLED_BACK' && previous) {
      addEvent(service, `rolling back to deployment ${previous.id}.`);
      startDeployment(service, previous.taskDefinition, { outcome: 'COMPLETED', afterPolls: 1 });
    }
  }

  /** Moves the PRIMARY deployment on by one DescribeServices call (or by the time passed since the update). */
  function advance(service: ServiceRecord): void {
    const deployment = service.deployments.find((d) => d.status === 'PRIMARY');
    const script = deployment?.script;
    if (!deployment || !script || deployment.rolloutState !== 'IN_PROGRESS') return;
    deployment.polls++;
    const now = Date.now();
    const failures = script.stoppedTasks?.length ?? 0;
    if (deployment.polls === 1) addEvent(service, `has started ${deployment.desiredCount} tasks.`);
    deployment.failedTasks = failures;
    const due =
      script.outcome !== 'NEVER' &&
      ((script.afterPolls !== undefined && deployment.polls >= script.afterPolls) ||
        (script.afterMs !== undefined && now - deployment.createdAt >= script.afterMs));
    if (due) {
      settle(service, deployment, now);
      return;
    }
    // Minimum healthy 0% stops the old tasks first; the new ones pend, then run while ECS waits for stability.
    for (const other of service.deployments) if (other !== deployment) other.runningCount = 0;
    const healthy = failures === 0 && deployment.polls > 1;
    deployment.runningCount = healthy ? deployment.desiredCount : 0;
    deployment.pendingCount = healthy ? 0 : deployment.desiredCount;
    deployment.updatedAt = now;
  }

  /**
   * A new count without a new deployment. Tasks are not modelled, so the counts change at once: scaling in stops
   * tasks of every deployment, and a settled PRIMARY deployment runs exactly the new count.
   */
  function scale(service: ServiceRecord, desiredCount: number): void {
    service.desiredCount = desiredCount;
    for (const deployment of service.deployments) {
      const primary = deployment.status === 'PRIMARY';
      deployment.desiredCount = primary ? desiredCount : Math.min(deployment.desiredCount, desiredCount);
      const settled = primary && deployment.rolloutState === 'COMPLETED';
      deployment.runningCount = settled ? desiredCount : Math.min(deployment.runningCount, deployment.desiredCount);
      deployment.pendingCount = Math.min(deployment.pendingCount, deployment.desiredCount);
      deployment.updatedAt = Date.now();
    }
  }

  function renderService(service: ServiceRecord, withTags = false): Json {
    const sum = (key: 'runningCount' | 'pendingCount') => service.deployments.reduce((total, d) => total + d[key], 0);
    return {
      schedulingStrategy: 'REPLICA',
      ...service.settings,
      serviceArn: service.arn,
      serviceName: service.name,
      clusterArn: `${arnPrefix}:cluster/${service.cluster}`,
      status: service.status,
      desiredCount: service.desiredCount,
      runningCount: sum('runningCount'),
      pendingCount: sum('pendingCount'),
      taskDefinition: service.taskDefinition,
      deploymentConfiguration: service.deploymentConfiguration,
      deployments: service.deployments.map((d) => ({
        id: d.id,
        status: d.status,
        taskDefinition: d.taskDefinition,
        desiredCount: d.desiredCount,
        pendingCount: d.pendingCount,
        runningCount: d.runningCount,
        failedTasks: d.failedTasks,
        createdAt: seconds(d.createdAt),
        updatedAt: seconds(d.updatedAt),
        ...(service.settings.launchType ? { launchType: service.settings.launchType } : {}),
        platformVersion: '1.4.0',
        platformFamily: 'Linux',
        rolloutState: d.rolloutState,
        rolloutStateReason: d.rolloutStateReason,
      })),
      events: service.events.map((e) => ({ id: e.id, createdAt: seconds(e.createdAt), message: e.message })),
      createdAt: seconds(service.createdAt),
      deploymentController: { type: service.deploymentController },
      ...(withTags ? { tags: service.tags } : {}),
    };
  }

  function renderTask(task: StoppedTask): Json {
    return {
      taskArn: task.arn,
      clusterArn: `${arnPrefix}:cluster/${task.cluster}`,
      taskDefinitionArn: task.taskDefinition,
      group: `service:${task.service}`,
      startedBy: task.deploymentId,
      launchType: 'FARGATE',
      lastStatus: 'STOPPED',
      desiredStatus: 'STOPPED',
      stopCode: task.script.stopCode ?? 'EssentialContainerExited',
      stoppedReason: task.script.stoppedReason,
      createdAt: seconds(task.at),
      stoppedAt: seconds(task.at),
      containers: task.script.containers.map((container) => ({
        containerArn: `${arnPrefix}:container/${task.cluster}/${lastSegment(task.arn)}/${randomUUID()}`,
        taskArn: task.arn,
        name: container.name,
        lastStatus: 'STOPPED',
        ...(container.exitCode !== undefined ? { exitCode: container.exitCode } : {}),
        ...(container.reason !== undefined ? { reason: container.reason } : {}),
      })),
    };
  }

  function tagsHolder(arn: string): { tags: FakeTag[] } {
    const service = services.filter((s) => s.arn === arn).sort((a) => (a.status === 'ACTIVE' ? -1 : 1))[0];
    const holder = taskDefinitions.get(arn) ?? service ?? clusters.byArn(arn) ?? tasks.byArn(arn);
    if (!holder) throw new EcsError('InvalidParameterException', 'The specified resource could not be found.');
    return holder;
  }

  /** The SERVICE_SETTINGS members a CreateService or UpdateService request carries. */
  const settingsIn = (input: Json): Json =>
    Object.fromEntries(SERVICE_SETTINGS.filter((key) => input[key] !== undefined).map((key) => [key, input[key]]));

  const operations: Record<string, (input: Json) => Json> = {
    ...clusters.operations,
    ...tasks.operations,
    CreateService(input) {
      const service = addService({
        cluster: clusters.find(input.cluster).name,
        service: String(input.serviceName ?? ''),
        taskDefinition: String(input.taskDefinition ?? ''),
        desiredCount: typeof input.desiredCount === 'number' ? input.desiredCount : undefined,
        // ECS completes a partial configuration with its defaults.
        deploymentConfiguration: { ...DEFAULT_DEPLOYMENT_CONFIGURATION, ...(input.deploymentConfiguration as Json | undefined) },
        deploymentController: (input.deploymentController as { type?: FakeServiceOptions['deploymentController'] } | undefined)?.type,
        settings: settingsIn(input),
        tags: input.tags as FakeTag[] | undefined,
      });
      addEvent(service, 'has reached a steady state.');
      return { service: renderService(service, true) };
    },
    DeleteService(input) {
      const service = activeService(clusterOf(input), String(input.service ?? ''));
      if (service.desiredCount > 0 && input.force !== true && service.settings.schedulingStrategy !== 'DAEMON') {
        throw new EcsError('InvalidParameterException', 'The service cannot be stopped while it is scaled above 0.');
      }
      // No tasks are modelled, so draining is over at once.
      service.status = 'INACTIVE';
      scale(service, 0);
      return { service: renderService(service) };
    },
    RegisterTaskDefinition(input) {
      const record = register(input, (input.tags as FakeTag[] | undefined) ?? []);
      return { taskDefinition: record.body, ...(record.tags.length ? { tags: record.tags } : {}) };
    },
    DescribeTaskDefinition(input) {
      const record = findTaskDefinition(String(input.taskDefinition ?? ''));
      const withTags = Array.isArray(input.include) && input.include.includes('TAGS');
      return { taskDefinition: record.body, ...(withTags ? { tags: record.tags } : {}) };
    },
    ListTaskDefinitions(input) {
      const status = (input.status as string | undefined) ?? 'ACTIVE';
      const sign = input.sort === 'DESC' ? -1 : 1;
      const all = [...taskDefinitions.values()]
        .filter((t) => (input.familyPrefix === undefined || t.family === input.familyPrefix) && t.body.status === status)
        .sort((a, b) => sign * (a.family.localeCompare(b.family) || a.revision - b.revision))
        .map((t) => t.arn);
      const start = Number(input.nextToken ?? 0);
      const end = start + Number(input.maxResults ?? 100);
      return { taskDefinitionArns: all.slice(start, end), ...(end < all.length ? { nextToken: String(end) } : {}) };
    },
    DeregisterTaskDefinition(input) {
      const record = findTaskDefinition(String(input.taskDefinition ?? ''));
      Object.assign(record.body, { status: 'INACTIVE', deregisteredAt: seconds(Date.now()) });
      return { taskDefinition: record.body };
    },
    DescribeServices(input) {
      const cluster = clusterOf(input);
      const found: Json[] = [];
      const failures: Json[] = [];
      for (const name of (input.services as string[] | undefined) ?? []) {
        const service = findService(cluster, name);
        if (!service) {
          failures.push({ arn: `${arnPrefix}:service/${cluster}/${lastSegment(name)}`, reason: 'MISSING' });
          continue;
        }
        advance(service);
        found.push(renderService(service, Array.isArray(input.include) && input.include.includes('TAGS')));
      }
      return { services: found, failures };
    },
    UpdateService(input) {
      const cluster = clusterOf(input);
      const service = activeService(cluster, String(input.service ?? ''));
      Object.assign(service.settings, settingsIn(input));
      const controller = (input.deploymentController as { type?: string } | undefined)?.type;
      if (controller) service.deploymentController = controller;
      let taskDefinition = service.taskDefinition;
      if (typeof input.taskDefinition === 'string') {
        const record = taskDefinitions.get(input.taskDefinition) ?? taskDefinitions.get(`${arnPrefix}:task-definition/${input.taskDefinition}`);
        if (!record || record.body.status !== 'ACTIVE') throw new EcsError('ClientException', 'TaskDefinition not found.');
        taskDefinition = record.arn;
      }
      if (input.deploymentConfiguration) {
        service.deploymentConfiguration = { ...service.deploymentConfiguration, ...(input.deploymentConfiguration as Json) };
      }
      const desiredCount = typeof input.desiredCount === 'number' ? input.desiredCount : undefined;
      const primary = service.deployments.find((d) => d.status === 'PRIMARY');
      if (primary?.taskDefinition !== taskDefinition || input.forceNewDeployment === true) {
        // The new deployment starts at the count asked for with it; the old ones keep theirs until it settles.
        if (desiredCount !== undefined) service.desiredCount = desiredCount;
        const script = scripts.shift() ?? defaultRollout;
        const record: FakeRollout = {
          deploymentId: newDeploymentId(),
          cluster,
          service: service.name,
          taskDefinition,
          script,
          createdAt: Date.now(),
        };
        rollouts.push(record);
        startDeployment(service, taskDefinition, script, record);
        for (const stopped of script.stoppedTasks ?? []) {
          stoppedTasks.push({
            arn: `${arnPrefix}:task/${cluster}/${randomBytes(16).toString('hex')}`,
            cluster,
            service: service.name,
            deploymentId: record.deploymentId,
            taskDefinition,
            script: stopped,
            at: Date.now(),
          });
        }
      } else if (desiredCount !== undefined) {
        scale(service, desiredCount);
      }
      return { service: renderService(service) };
    },
    ListTasks(input) {
      const cluster = clusterOf(input);
      const wanted = (input.desiredStatus as string | undefined) ?? 'RUNNING';
      const serviceName = typeof input.serviceName === 'string' ? lastSegment(input.serviceName) : undefined;
      if (serviceName && !findService(cluster, serviceName)) throw new EcsError('ServiceNotFoundException', 'Service not found.');
      const rolloutTasks = wanted === 'STOPPED' ? stoppedTasks.filter((t) => t.cluster === cluster) : [];
      const all = [
        ...(serviceName ? [] : tasks.list(cluster, input)),
        ...rolloutTasks
          .filter((t) => !serviceName || t.service === serviceName)
          .filter((t) => input.family === undefined || t.taskDefinition.includes(`:task-definition/${String(input.family)}:`))
          .filter((t) => input.startedBy === undefined || t.deploymentId === input.startedBy)
          .map((t) => t.arn),
      ];
      const start = Number(input.nextToken ?? 0);
      const end = start + Number(input.maxResults ?? 100);
      return { taskArns: all.slice(start, end), ...(end < all.length ? { nextToken: String(end) } : {}) };
    },
    DescribeTasks(input) {
      const cluster = clusterOf(input);
      const found: Json[] = [];
      const failures: Json[] = [];
      const references = (input.tasks as string[] | undefined) ?? [];
      if (references.length === 0) throw new EcsError('InvalidParameterException', 'Tasks cannot be empty.');
      if (references.length > 100) throw new EcsError('InvalidParameterException', 'Tasks can have at most 100 items.');
      const withTags = Array.isArray(input.include) && input.include.includes('TAGS');
      for (const reference of references) {
        const task = stoppedTasks.find((t) => t.cluster === cluster && (t.arn === reference || lastSegment(t.arn) === reference));
        const run = task ? undefined : tasks.describe(cluster, reference, withTags);
        if (task) found.push(renderTask(task));
        else if (run) found.push(run);
        else failures.push({ arn: reference, reason: 'MISSING' });
      }
      return { tasks: found, failures };
    },
    TagResource(input) {
      const holder = tagsHolder(String(input.resourceArn ?? ''));
      holder.tags = mergeTags(holder.tags, (input.tags as FakeTag[] | undefined) ?? []);
      return {};
    },
    UntagResource(input) {
      const holder = tagsHolder(String(input.resourceArn ?? ''));
      const keys = (input.tagKeys as string[] | undefined) ?? [];
      holder.tags = holder.tags.filter((tag) => !keys.includes(tag.key));
      return {};
    },
    ListTagsForResource(input) {
      return { tags: tagsHolder(String(input.resourceArn ?? '')).tags };
    },
  };

  function dispatch(operation: string, input: Json): Json {
    counts[operation] = (counts[operation] ?? 0) + 1;
    if (denied.has(operation)) {
      throw new EcsError(
        'AccessDeniedException',
        `User: arn:aws:sts::${accountId}:assumed-role/deploy/fake-session is not authorized to perform: ` +
          `ecs:${operation} on resource: * because no identity-based policy allows the ecs:${operation} action`,
      );
    }
    const throttles = throttled.get(operation) ?? 0;
    if (throttles > 0) {
      throttled.set(operation, throttles - 1);
      throw new EcsError('ThrottlingException', 'Rate exceeded');
    }
    const handler = operations[operation];
    if (!handler) throw new EcsError('UnknownOperationException', `The fake ECS does not implement ${operation}.`);
    return handler(input);
  }

  // A client that goes away mid-request (a test ending, a killed server) aborts the body: nobody is left to answer.
  const server = createServer((request, response) => void handle(request, response).catch(() => response.destroy()));
  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    let status = 200;
    let body: Json;
    try {
      if (!target.startsWith(TARGET_PREFIX)) throw new EcsError('UnknownOperationException', `Unexpected target "${target}".`);
      const text = Buffer.concat(chunks).toString('utf8');
      body = dispatch(target.slice(TARGET_PREFIX.length), text ? (JSON.parse(text) as Json) : {});
    } catch (error) {
      status = 400;
      body = error instanceof EcsError ? { __type: error.type, message: error.message } : { __type: 'ServerException', message: String(error) };
      if (!(error instanceof EcsError)) status = 500;
    }
    response.writeHead(status, { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-requestid': randomUUID() });
    response.end(JSON.stringify(body));
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    endpoint,
    region,
    accountId,
    env: {
      AWS_ENDPOINT_URL_ECS: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
    },
    registerTaskDefinition: (definition, tags) => register(definition, tags).arn,
    createService: (options) => addService({ ...options, settings: { launchType: 'FARGATE' } }).arn,
    scriptRollouts: (...next) => void scripts.push(...next),
    throttle: (operation, times) => void throttled.set(operation, times),
    deny: (operation) => void denied.add(operation),
    calls: () => ({ ...counts }),
    resetCalls: () => void (counts = {}),
    rollouts: () => rollouts.map((rollout) => ({ ...rollout })),
    tagsOf: (arn) => [...tagsHolder(arn).tags],
    stop: async () => {
      await tasks.close();
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      });
    },
  };
}
