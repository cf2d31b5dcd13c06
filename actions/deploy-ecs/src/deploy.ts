import type { DeploymentConfiguration, Task } from '@aws-sdk/client-ecs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigurationError, formatDuration, systemClock, type Clock } from '@notebook-ship/action-kit';
import type { EcsApi } from './ecs-api';
import type { DeployConfig, Source } from './inputs';
import { deployedTag, findPrevious } from './previous';
import { parseRevisionReference, resourceName, revisionName } from './references';
import { describeStoppedTask, isFailure, type DeployReport } from './report';
import { EventFeed, formatEvent, watchRollout } from './rollout';
import {
  chooseContainer,
  parseTaskDefinitionFile,
  renderTaskDefinition,
  sameDefinition,
  toRegisterInput,
  type TaskDefinitionInput,
} from './task-definition';

/** What the deploy tells the runner: log lines, warnings and step outputs. */
export interface Io {
  info(line: string): void;
  warning(line: string): void;
  output(name: string, value: string): void;
}

interface Target {
  arn: string;
  registered: boolean;
  /** The container that got the image, when one was rendered. */
  containerName: string;
}

const SHOWN_STOPPED_TASKS = 10;
const SHOWN_EVENTS = 10;

export async function deploy(
  config: DeployConfig,
  ecs: EcsApi,
  region: string,
  io: Io,
  clock: Clock = systemClock,
): Promise<DeployReport> {
  const started = clock.now();
  const current = await ecs.describeService(config.cluster, config.service);
  const controller = current.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') {
    throw new ConfigurationError(
      `Service "${config.service}" uses the ${controller} deployment controller; deploy-ecs drives rolling updates ` +
        '(the ECS controller) only. Deploy it with CodeDeploy or your external controller instead.',
    );
  }
  const cluster = resourceName(current.clusterArn ?? config.cluster);
  const service = current.serviceName ?? resourceName(config.service);
  const runningArn = current.taskDefinition as string;
  // A service that asks for no task runs nothing, whatever revision it names: Terraform creates it at zero on a
  // revision whose image does not exist. So nothing ran before, and no earlier revision is worth going back to.
  const firstDeploy = (current.desiredCount ?? 0) === 0;
  const report: DeployReport = {
    region,
    cluster,
    service,
    previousArn: firstDeploy ? '' : runningArn,
    targetArn: '',
    registered: false,
    image: config.image,
    containerName: '',
    deploymentId: '',
    state: 'NOT_WAITED',
    durationMs: 0,
    minimumHealthyPercent: config.minimumHealthyPercent,
    maximumPercent: config.maximumPercent,
    circuitBreaker: config.circuitBreaker,
    downtime: false,
    firstDeploy,
    scaledToZero: false,
    stoppedTasks: [],
    lastEvents: [],
  };
  io.output('previous-task-definition-arn', report.previousArn);
  if (config.source.kind === 'scale-to-zero') {
    await scaleToZero(ecs, report, runningArn, io);
    return finish(report, started, clock, io);
  }
  io.info(
    firstDeploy
      ? `Service ${cluster}/${service} asks for no task (desired count 0), so nothing ran before: this is its first deploy.`
      : `Service ${cluster}/${service} runs ${revisionName(runningArn)}.`,
  );

  const target = await chooseTarget(config, config.source, ecs, region, cluster, service, runningArn, io);
  Object.assign(report, { targetArn: target.arn, registered: target.registered, containerName: target.containerName });
  io.output('task-definition-arn', target.arn);

  const deploymentConfiguration = deploymentConfigurationFor(config, current.deploymentConfiguration);
  report.downtime = expectsDowntime(current.desiredCount ?? 0, config.minimumHealthyPercent);
  io.info(
    `Updating ${cluster}/${service} to ${revisionName(target.arn)}: minimum healthy ${config.minimumHealthyPercent}%, ` +
      `maximum ${config.maximumPercent}%, ${config.circuitBreaker ? 'circuit breaker with rollback' : 'no circuit breaker'}.` +
      (report.downtime ? ' ECS stops the running task before the new one starts: expect a brief downtime.' : '') +
      (firstDeploy ? ' Desired count 0 → 1: deploy-ecs runs this service as a single task.' : ''),
  );
  const updated = await ecs.updateService({
    cluster,
    service,
    taskDefinition: target.arn,
    deploymentConfiguration,
    // Forced, so that even the revision the service already names gets a deployment of its own to follow, rather
    // than the old one that completed at zero tasks.
    ...(firstDeploy ? { desiredCount: 1, forceNewDeployment: true } : {}),
  });
  const deployment = updated.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition === target.arn);
  report.deploymentId = deployment?.id ?? '';
  io.output('deployment-id', report.deploymentId);
  if (!deployment) {
    const primary = updated.deployments?.find((d) => d.status === 'PRIMARY');
    const found =
      `ECS accepted the update but lists no deployment of ${revisionName(target.arn)}` +
      (primary ? ` (its PRIMARY deployment ${primary.id} runs ${revisionName(primary.taskDefinition ?? '?')})` : '');
    if (config.wait) throw new ConfigurationError(`${found}, so there is no rollout to follow.`);
    io.warning(`${found}; deployment-id is empty.`);
  }
  if (!config.wait || !deployment) return finish(report, started, clock, io);

  io.info(
    `Following deployment ${deployment.id} every ${formatDuration(config.pollIntervalMs)} ` +
      `for up to ${formatDuration(config.timeoutMs)}.`,
  );
  const result = await watchRollout({
    ecs,
    cluster,
    service,
    deploymentId: deployment.id as string,
    rollbackEnabled: config.circuitBreaker,
    intervalMs: config.pollIntervalMs,
    timeoutMs: config.timeoutMs,
    feed: new EventFeed(current.events),
    log: (line) => io.info(line),
    clock,
  });
  report.state = result.state;
  report.reason = result.reason;
  if (result.state === 'COMPLETED') {
    await markDeployed(ecs, report, io);
  } else {
    report.stoppedTasks = await stoppedTasksOf(ecs, report, io);
    report.lastEvents = (result.service?.events ?? []).slice(0, SHOWN_EVENTS);
    printDiagnosis(report, io);
    if (firstDeploy) report.scaledToZero = await takeBackFirstDeploy(ecs, report, io);
  }
  return finish(report, started, clock, io);
}

async function chooseTarget(
  config: DeployConfig,
  source: Exclude<Source, { kind: 'scale-to-zero' }>,
  ecs: EcsApi,
  region: string,
  cluster: string,
  service: string,
  runningArn: string,
  io: Io,
): Promise<Target> {
  if (source.kind === 'previous') {
    const arn = await findPrevious(ecs, cluster, service, runningArn);
    io.info(`"previous" is ${revisionName(arn)}, the last revision deploy-ecs rolled out to ${cluster}/${service} before.`);
    return { arn, registered: false, containerName: '' };
  }
  if (source.kind === 'revision') {
    const { reference } = parseRevisionReference(source.reference, region);
    const { taskDefinition } = await ecs.describeTaskDefinition(reference);
    if (taskDefinition.status !== 'ACTIVE') {
      throw new ConfigurationError(
        `Task definition ${revisionName(taskDefinition.taskDefinitionArn ?? reference)} is ${taskDefinition.status}: ` +
          'ECS does not deploy deregistered revisions. Pick an ACTIVE one.',
      );
    }
    return { arn: taskDefinition.taskDefinitionArn as string, registered: false, containerName: '' };
  }

  const running = await ecs.describeTaskDefinition(runningArn);
  const current = toRegisterInput(running.taskDefinition, running.tags);
  const { base, origin } = await baseOf(source, ecs, region, current, runningArn);
  const changes = Boolean(config.image) || config.environment.size > 0;
  const containerName = changes ? (chooseContainer(base, config.containerName).name as string) : '';
  const rendered = renderTaskDefinition(base, { ...config, containerName });
  const what = [
    config.image && `image ${config.image}`,
    config.environment.size > 0 && `environment ${[...config.environment.keys()].join(', ')}`,
  ].filter(Boolean);
  io.info(`Rendered from ${origin}${what.length ? ` with ${what.join(' and ')} in container "${containerName}"` : ''}.`);
  if (sameDefinition(rendered, current)) {
    io.info(`${revisionName(runningArn)} already is that definition: no new revision registered.`);
    return { arn: runningArn, registered: false, containerName };
  }
  const registered = await ecs.registerTaskDefinition(rendered);
  io.info(`Registered ${revisionName(registered.taskDefinitionArn as string)}.`);
  return { arn: registered.taskDefinitionArn as string, registered: true, containerName };
}

/** The definition the image and environment go into, and how to name it in the log. */
async function baseOf(
  source: Extract<Source, { kind: 'render' | 'base' | 'file' }>,
  ecs: EcsApi,
  region: string,
  running: TaskDefinitionInput,
  runningArn: string,
): Promise<{ base: TaskDefinitionInput; origin: string }> {
  if (source.kind === 'file') return { base: await readTaskDefinitionFile(source.path), origin: source.path };
  if (source.kind === 'render') return { base: running, origin: `the running ${revisionName(runningArn)}` };
  const { reference } = parseRevisionReference(source.reference, region, 'base-task-definition');
  const { taskDefinition, tags } = await ecs.describeTaskDefinition(reference);
  const name = revisionName(taskDefinition.taskDefinitionArn ?? reference);
  return { base: toRegisterInput(taskDefinition, tags), origin: `the base ${name} (base-task-definition)` };
}

async function readTaskDefinitionFile(path: string): Promise<TaskDefinitionInput> {
  let text: string;
  try {
    text = await readFile(resolve(path), 'utf8');
  } catch (error) {
    throw new ConfigurationError(`Cannot read the task-definition file ${path}: ${(error as Error).message}`);
  }
  return parseTaskDefinitionFile(text, path);
}

/** The service's own settings (alarms, strategy...) kept; only what this action controls is replaced. */
export function deploymentConfigurationFor(
  config: Pick<DeployConfig, 'minimumHealthyPercent' | 'maximumPercent' | 'circuitBreaker'>,
  current: DeploymentConfiguration | undefined,
): DeploymentConfiguration {
  return {
    ...current,
    minimumHealthyPercent: config.minimumHealthyPercent,
    maximumPercent: config.maximumPercent,
    deploymentCircuitBreaker: { enable: config.circuitBreaker, rollback: config.circuitBreaker },
  };
}

/** Whether ECS may stop every running task before a new one starts: the minimum healthy count rounds to zero. */
export function expectsDowntime(desiredCount: number, minimumHealthyPercent: number): boolean {
  return desiredCount > 0 && Math.ceil((desiredCount * minimumHealthyPercent) / 100) === 0;
}

/** Tags the revision as deployed to this service, which is what `previous` looks for later. */
async function markDeployed(ecs: EcsApi, report: DeployReport, io: Io): Promise<void> {
  try {
    await ecs.tagResource(report.targetArn, [deployedTag(report.cluster, report.service, new Date())]);
  } catch (error) {
    io.warning(
      `The rollout completed, but tagging ${revisionName(report.targetArn)} as deployed failed, so ` +
        `task-definition-arn: previous will not consider it: ${(error as Error).message}`,
    );
  }
}

async function stoppedTasksOf(ecs: EcsApi, report: DeployReport, io: Io): Promise<Task[]> {
  try {
    const tasks = await ecs.stoppedTasks(report.cluster, report.service);
    return tasks
      .filter((task) => task.startedBy === report.deploymentId || task.taskDefinitionArn === report.targetArn)
      .slice(0, SHOWN_STOPPED_TASKS);
  } catch (error) {
    io.warning(`Could not list the stopped tasks: ${(error as Error).message}`);
    return [];
  }
}

/** Deploys nothing: the service asks for no task, as before a first deploy that is being taken back. */
async function scaleToZero(ecs: EcsApi, report: DeployReport, runningArn: string, io: Io): Promise<void> {
  const { cluster, service } = report;
  io.output('task-definition-arn', '');
  io.output('deployment-id', '');
  report.state = 'SCALED_TO_ZERO';
  if (report.firstDeploy) {
    io.info(`Service ${cluster}/${service} already asks for no task: nothing to scale to zero.`);
    return;
  }
  io.info(`Setting ${cluster}/${service} to zero tasks: ECS stops those of ${revisionName(runningArn)} and starts none.`);
  await ecs.updateService({ cluster, service, desiredCount: 0 });
  report.scaledToZero = true;
}

/**
 * A first deploy that did not complete leaves ECS starting tasks of a revision that cannot start: ours, or the
 * bootstrap revision the circuit breaker rolled back to. Nothing ran before, so zero tasks is what to go back to.
 */
async function takeBackFirstDeploy(ecs: EcsApi, report: DeployReport, io: Io): Promise<boolean> {
  const { cluster, service } = report;
  try {
    await ecs.updateService({ cluster, service, desiredCount: 0 });
    io.info(`Set ${cluster}/${service} back to zero tasks, as it was before this first deploy.`);
    return true;
  } catch (error) {
    io.warning(`Could not set ${cluster}/${service} back to zero tasks, so ECS keeps trying: ${(error as Error).message}`);
    return false;
  }
}

function printDiagnosis(report: DeployReport, io: Io): void {
  io.info(`Deployment ${report.deploymentId} ${report.state}: ${report.reason}`);
  if (report.stoppedTasks.length) {
    io.info(`Stopped tasks of ${revisionName(report.targetArn)} (newest first):`);
    for (const task of report.stoppedTasks) io.info(`  ${describeStoppedTask(task)}`);
  } else {
    io.info(`ECS lists no stopped task of ${revisionName(report.targetArn)}.`);
  }
  if (report.lastEvents.length) {
    io.info('Last service events:');
    for (const event of [...report.lastEvents].reverse()) io.info(`  ${formatEvent(event)}`);
  }
}

function finish(report: DeployReport, started: number, clock: Clock, io: Io): DeployReport {
  report.durationMs = clock.now() - started;
  io.output('rollout-state', report.state);
  io.output('duration-seconds', String(Math.round(report.durationMs / 1_000)));
  const verb = isFailure(report.state) ? 'ended' : 'finished';
  io.info(`Deploy ${verb} ${report.state} after ${formatDuration(report.durationMs)}.`);
  return report;
}
