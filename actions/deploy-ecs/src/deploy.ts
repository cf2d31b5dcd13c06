import type { DeploymentConfiguration, Service, Task } from '@aws-sdk/client-ecs';
import { ConfigurationError, formatDuration, systemClock, type Clock, type Io } from '@notebook-ship/action-kit';
import type { EcrApi } from './ecr-api';
import type { EcsApi } from './ecs-api';
import type { DeployConfig } from './inputs';
import { deployedTag } from './previous';
import { resourceName, revisionName } from './references';
import { describeStoppedTask, isFailure, type DeployReport } from './report';
import { EventFeed, formatEvent, watchRollout } from './rollout';
import { StoppedTaskFeed, stoppedTasksOf, type DeploymentTasks } from './stopped-tasks';
import { chooseTarget } from './target';
import { verifyImages } from './verify-image';

/**
 * How a deploy ended. `interrupted`: an error stopped it before its rollout had an outcome, and the report holds
 * only what was done until then (the revision registered, the deployment started), which later steps still need.
 */
export type DeployOutcome =
  | { kind: 'finished'; report: DeployReport }
  | { kind: 'interrupted'; report: DeployReport; error: unknown };

const SHOWN_STOPPED_TASKS = 10;
const SHOWN_EVENTS = 10;

export async function deploy(
  config: DeployConfig,
  { ecs, ecr }: { ecs: EcsApi; ecr: EcrApi },
  region: string,
  io: Io,
  clock: Clock = systemClock,
): Promise<DeployOutcome> {
  const started = clock.now();
  const current = await ecs.describeService(config.cluster, config.service);
  const controller = current.deploymentController?.type ?? 'ECS';
  if (controller !== 'ECS') {
    throw new ConfigurationError(
      `Service "${config.service}" uses the ${controller} deployment controller; deploy-ecs drives rolling updates ` +
        '(the ECS controller) only. Deploy it with CodeDeploy or your external controller instead.',
    );
  }
  // A service that asks for no task runs nothing, whatever revision it names: Terraform creates it at zero on a
  // revision whose image does not exist. So nothing ran before, and no earlier revision is worth going back to.
  const firstDeploy = (current.desiredCount ?? 0) === 0;
  const report: DeployReport = {
    region,
    cluster: resourceName(current.clusterArn ?? config.cluster),
    service: current.serviceName ?? resourceName(config.service),
    previousArn: firstDeploy ? '' : (current.taskDefinition as string),
    targetArn: '',
    registered: false,
    image: '',
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
  try {
    await rollOut(config, current, ecs, report, io, clock, ecr);
  } catch (error) {
    return { kind: 'interrupted', report, error };
  }
  report.durationMs = clock.now() - started;
  const verb = isFailure(report.state) ? 'ended' : 'finished';
  io.info(`Deploy ${verb} ${report.state} after ${formatDuration(report.durationMs)}.`);
  return { kind: 'finished', report };
}

/** Everything after the service was read, recorded into `report` as it happens. */
async function rollOut(
  config: DeployConfig,
  current: Service,
  ecs: EcsApi,
  report: DeployReport,
  io: Io,
  clock: Clock,
  ecr: EcrApi,
): Promise<void> {
  const { cluster, service, firstDeploy } = report;
  const runningArn = current.taskDefinition as string;
  if (config.source.kind === 'scale-to-zero') return scaleToZero(ecs, report, runningArn, io);
  io.info(
    firstDeploy
      ? `Service ${cluster}/${service} asks for no task (desired count 0), so nothing ran before: this is its first deploy.`
      : `Service ${cluster}/${service} runs ${revisionName(runningArn)}.`,
  );

  const target = await chooseTarget(config.source, ecs, report.region, cluster, service, runningArn, io, {
    allowVersionWithoutImage: config.allowVersionWithoutImage,
    // Compared with the registeredAt of revisions, which is wall-clock time, not the poll clock.
    now: Date.now(),
    onKernel: (kernel) => void (report.kernel = kernel),
  });
  Object.assign(report, target);
  await checkImages(config, target.targetArn, ecs, ecr, report, io);

  const deploymentConfiguration = deploymentConfigurationFor(config, current.deploymentConfiguration);
  report.downtime = expectsDowntime(current.desiredCount ?? 0, config.minimumHealthyPercent);
  io.info(
    `Updating ${cluster}/${service} to ${revisionName(target.targetArn)}: minimum healthy ${config.minimumHealthyPercent}%, ` +
      `maximum ${config.maximumPercent}%, ${config.circuitBreaker ? 'circuit breaker with rollback' : 'no circuit breaker'}.` +
      (report.downtime ? ' ECS stops the running task before the new one starts: expect a brief downtime.' : '') +
      (firstDeploy ? ' Desired count 0 → 1: deploy-ecs runs this service as a single task.' : ''),
  );
  const updated = await ecs.updateService({
    cluster,
    service,
    taskDefinition: target.targetArn,
    deploymentConfiguration,
    // Forced, so that even the revision the service already names gets a deployment of its own to follow, rather
    // than the old one that completed at zero tasks.
    ...(firstDeploy ? { desiredCount: 1, forceNewDeployment: true } : {}),
  });
  const deployment = updated.deployments?.find((d) => d.status === 'PRIMARY' && d.taskDefinition === target.targetArn);
  report.deploymentId = deployment?.id ?? '';
  if (!deployment) {
    const primary = updated.deployments?.find((d) => d.status === 'PRIMARY');
    const found =
      `ECS accepted the update but lists no deployment of ${revisionName(target.targetArn)}` +
      (primary ? ` (its PRIMARY deployment ${primary.id} runs ${revisionName(primary.taskDefinition ?? '?')})` : '');
    if (config.wait) throw new ConfigurationError(`${found}, so there is no rollout to follow.`);
    io.warning(`${found}; deployment-id is empty.`);
  }
  if (!config.wait || !deployment) return;

  io.info(
    `Following deployment ${deployment.id} every ${formatDuration(config.pollIntervalMs)} ` +
      `for up to ${formatDuration(config.timeoutMs)}.`,
  );
  const tasks = { ecs, cluster, service, deploymentId: deployment.id as string, targetArn: target.targetArn };
  const result = await watchRollout({
    ecs,
    cluster,
    service,
    deploymentId: deployment.id as string,
    rollbackEnabled: config.circuitBreaker,
    intervalMs: config.pollIntervalMs,
    timeoutMs: config.timeoutMs,
    feed: new EventFeed(current.events),
    stoppedTasks: new StoppedTaskFeed(tasks, (line) => io.info(line)),
    log: (line) => io.info(line),
    clock,
  });
  report.state = result.state;
  report.reason = result.reason;
  if (result.state === 'COMPLETED') {
    await markDeployed(ecs, report, io);
  } else {
    report.stoppedTasks = await lastStoppedTasks(tasks, io);
    report.lastEvents = (result.service?.events ?? []).slice(0, SHOWN_EVENTS);
    printDiagnosis(report, io);
    if (firstDeploy) report.scaledToZero = await takeBackFirstDeploy(ecs, report, io);
  }
}

/** Every revision, rollbacks included, as their images may have expired since they last ran. */
async function checkImages(
  config: DeployConfig,
  targetArn: string,
  ecs: EcsApi,
  ecr: EcrApi,
  report: DeployReport,
  io: Io,
): Promise<void> {
  if (!config.verifyImage) {
    io.info('verify-image is false: the images of the revision are not looked up in ECR.');
    report.imageCheck = 'skipped (verify-image: false)';
    return;
  }
  const { taskDefinition } = await ecs.describeTaskDefinition(targetArn);
  const verified = await verifyImages(taskDefinition.containerDefinitions ?? [], targetArn, ecr, io);
  report.imageCheck = verified.length
    ? `${verified.length} ECR image${verified.length === 1 ? '' : 's'} verified to exist before the update`
    : 'no ECR image to verify';
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

async function lastStoppedTasks(tasks: DeploymentTasks, io: Io): Promise<Task[]> {
  try {
    return (await stoppedTasksOf(tasks)).slice(0, SHOWN_STOPPED_TASKS);
  } catch (error) {
    io.warning(`Could not list the stopped tasks: ${(error as Error).message}`);
    return [];
  }
}

/** Deploys nothing: the service asks for no task, as before a first deploy that is being taken back. */
async function scaleToZero(ecs: EcsApi, report: DeployReport, runningArn: string, io: Io): Promise<void> {
  const { cluster, service } = report;
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
