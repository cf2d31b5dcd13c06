import type { ServiceEvent, Task } from '@aws-sdk/client-ecs';
import { ConfigurationError, TimeoutError, formatDuration, keyValueTable, markdownTable } from '@notebook-ship/action-kit';
import { deploymentsConsoleUrl, resourceName, revisionName } from './references';
import type { KernelRevision } from './kernel';
import type { RolloutState } from './rollout';

/** Everything a deploy found out: outputs, the job summary and the failure message are made from it. */
export interface DeployReport {
  region: string;
  cluster: string;
  service: string;
  previousArn: string;
  targetArn: string;
  /** Whether this run registered `targetArn` (false: an existing revision was deployed). */
  registered: boolean;
  image: string;
  containerName: string;
  /** The kernel revision rendered with the same image (kernel-task-definition), which the server's revision names. */
  kernel?: KernelRevision;
  /** What the image check before UpdateService found, e.g. "1 ECR image exists"; empty when none ran. */
  imageCheck?: string;
  deploymentId: string;
  state: RolloutState;
  reason?: string;
  durationMs: number;
  minimumHealthyPercent: number;
  maximumPercent: number;
  circuitBreaker: boolean;
  /** ECS may stop every running task before a new one starts (minimum healthy rounds down to 0 tasks). */
  downtime: boolean;
  /** The service asked for no task before this run (desired count 0): nothing ran, `previousArn` is empty. */
  firstDeploy: boolean;
  /** This run set the service to zero tasks: scale-to-zero, or a first deploy that did not complete taken back. */
  scaledToZero: boolean;
  stoppedTasks: Task[];
  /** Newest first, as ECS lists them. */
  lastEvents: ServiceEvent[];
}

export function isFailure(state: RolloutState): boolean {
  return state === 'FAILED' || state === 'ROLLED_BACK' || state === 'TIMED_OUT';
}

/** `task 0a1b2c3d: EssentialContainerExited: Essential container in task exited; app exit code 1 (reason)`. */
export function describeStoppedTask(task: Task): string {
  const id = resourceName(task.taskArn ?? 'unknown');
  const why = [task.stopCode, task.stoppedReason].filter(Boolean).join(': ') || 'stopped';
  const containers = (task.containers ?? [])
    .filter((container) => container.exitCode !== undefined || container.reason)
    .map((container) => {
      const code = container.exitCode !== undefined ? ` exit code ${container.exitCode}` : '';
      const reason = container.reason ? ` (${container.reason})` : '';
      return `${container.name}${code}${reason}`;
    });
  return [`task ${id}: ${why}`, ...containers].join('; ');
}

/** Stopping to follow a rollout stops nothing in ECS, which the next step must not assume. */
export const GOES_ON =
  'The rollout goes on in ECS: deploy-ecs only stopped following it, so the service may still complete or roll back ' +
  '(see the console link in the job summary).';

/** The error that fails the step: what happened, why, and the first stopped task. */
export function failureError(report: DeployReport): Error {
  const subject = `Deployment ${report.deploymentId} of ${revisionName(report.targetArn)}`;
  const first = report.stoppedTasks[0];
  const tasks = first
    ? ` Stopped ${describeStoppedTask(first)}` + (report.stoppedTasks.length > 1 ? ` (+${report.stoppedTasks.length - 1} more).` : '.')
    : '';
  const note = report.firstDeploy ? ` ${firstDeployNote(report)}` : '';
  const details = ' Service events and stopped tasks are in the log and the job summary.';
  if (report.state === 'TIMED_OUT') {
    const goesOn = report.scaledToZero ? '' : ` ${GOES_ON}`;
    return new TimeoutError(`${report.reason ?? `${subject} timed out.`}${goesOn}${tasks}${note}${details}`);
  }
  const verb = report.state === 'ROLLED_BACK' ? 'was rolled back' : 'failed';
  return new ConfigurationError(`${subject} ${verb}: ${report.reason ?? report.state}.${tasks}${note}${details}`);
}

/** What a first deploy did to the service, in the failure message and the job summary alike. */
export function firstDeployNote(report: DeployReport): string {
  const before = 'First deploy: nothing ran before (the service asked for no task)';
  if (!isFailure(report.state)) return `${before}, so this deploy set it to 1 task (deploy-ecs runs it as a single task).`;
  if (report.scaledToZero) {
    return (
      `${before}, so the service is back to zero tasks rather than ECS retrying a revision that cannot start. ` +
      'Fix the image and push again.'
    );
  }
  return (
    `${before}, and setting the service back to zero tasks failed: run aws ecs update-service --cluster ${report.cluster} ` +
    `--service ${report.service} --desired-count 0, then fix the image and push again.`
  );
}

const OUTCOME_ICON: Record<RolloutState, string> = {
  COMPLETED: '✅',
  NOT_WAITED: '⏩',
  FAILED: '❌',
  ROLLED_BACK: '↩️',
  TIMED_OUT: '⏱️',
  SCALED_TO_ZERO: '⏹️',
};

function revisions(report: DeployReport): string {
  if (report.state === 'SCALED_TO_ZERO') {
    return report.previousArn ? `${revisionName(report.previousArn)} → no task` : 'no task (already)';
  }
  const target = `${revisionName(report.targetArn)}${report.registered ? ' (registered by this run)' : ''}`;
  if (report.firstDeploy) return `${target}, first deploy`;
  if (report.previousArn === report.targetArn) return `${revisionName(report.targetArn)} (unchanged)`;
  return `${revisionName(report.previousArn)} → ${target}`;
}

function kernelRevision({ arn, registered, containerName }: KernelRevision): string {
  return `${revisionName(arn)}${registered ? ' (registered by this run)' : ''}, same image in container ${containerName}`;
}

export function renderSummary(report: DeployReport): string {
  const settings =
    `minimum healthy ${report.minimumHealthyPercent}%, maximum ${report.maximumPercent}%, ` +
    (report.circuitBreaker ? 'circuit breaker with rollback' : 'no circuit breaker');
  const url = deploymentsConsoleUrl(report.region, report.cluster, report.service);
  const sections = [
    `## ${OUTCOME_ICON[report.state]} ECS deploy of ${report.cluster}/${report.service}: ${report.state}`,
    keyValueTable([
      ['Service', `${report.cluster}/${report.service} (${report.region})`],
      ['Task definition', revisions(report)],
      ['Image', report.image ? `${report.image} (container ${report.containerName})` : ''],
      ['Kernel task definition', report.kernel ? kernelRevision(report.kernel) : ''],
      ['Image check', report.imageCheck ?? ''],
      ['Deployment', report.deploymentId],
      ['Outcome', report.reason ? `${report.state}: ${report.reason}` : report.state],
      ['Duration', formatDuration(report.durationMs)],
      ['Deployment settings', report.state === 'SCALED_TO_ZERO' ? '' : settings],
      ['Console', `[${report.cluster}/${report.service} deployments](${url})`],
    ]),
  ];
  if (report.firstDeploy && report.state !== 'SCALED_TO_ZERO') {
    sections.push(`> [!${isFailure(report.state) ? 'WARNING' : 'NOTE'}]\n> ${firstDeployNote(report)}`);
  }
  if (report.state === 'TIMED_OUT' && !report.scaledToZero) sections.push(`> [!WARNING]\n> ${GOES_ON}`);
  if (report.downtime) {
    sections.push(
      `> [!NOTE]\n> Expect a brief downtime: with minimum healthy ${report.minimumHealthyPercent}% ECS stops the running ` +
        'task before the new one starts.',
    );
  }
  if (report.stoppedTasks.length) {
    sections.push(
      '### Stopped tasks',
      markdownTable(
        ['Task', 'Stopped at', 'Why'],
        report.stoppedTasks.map((task) => [
          resourceName(task.taskArn ?? ''),
          task.stoppedAt?.toISOString() ?? '',
          describeStoppedTask(task).replace(/^task [^:]+: /, ''),
        ]),
      ),
    );
  }
  if (isFailure(report.state) && report.lastEvents.length) {
    sections.push(
      '### Last service events',
      markdownTable(
        ['Time', 'Event'],
        report.lastEvents.map((event) => [event.createdAt?.toISOString() ?? '', event.message ?? '']),
      ),
    );
  }
  return `${sections.join('\n\n')}\n`;
}
