import type { Deployment, Service, ServiceEvent } from '@aws-sdk/client-ecs';
import { TimeoutError, formatDuration, pollUntil, systemClock, type Clock } from '@notebook-ship/action-kit';
import type { EcsApi } from './ecs-api';
import { revisionName } from './references';
import type { StoppedTaskFeed } from './stopped-tasks';
import { describeError, isTransient } from './transient';

export type SettledState = 'COMPLETED' | 'FAILED' | 'ROLLED_BACK';
/** SCALED_TO_ZERO: the service was set to no task (scale-to-zero), so there is no rollout. */
export type RolloutState = SettledState | 'TIMED_OUT' | 'NOT_WAITED' | 'SCALED_TO_ZERO';

export interface Observation {
  state: 'IN_PROGRESS' | SettledState;
  /** The deployment being followed, while ECS still lists it. */
  deployment?: Deployment;
  /** Why the rollout did not complete. */
  reason?: string;
}

/** ECS ends its reasons with a period; ours go inside longer sentences. */
const clause = (text: string) => text.replace(/\.+$/, '');

/** Where the deployment `deploymentId` stands in one DescribeServices answer. */
export function observe(service: Service, deploymentId: string, rollbackEnabled: boolean): Observation {
  const deployments = service.deployments ?? [];
  const deployment = deployments.find((candidate) => candidate.id === deploymentId);
  if (service.status && service.status !== 'ACTIVE') {
    return { state: 'FAILED', deployment, reason: `the service became ${service.status} while it rolled out` };
  }
  if (deployment?.status === 'PRIMARY') {
    if (deployment.rolloutState === 'COMPLETED') return { state: 'COMPLETED', deployment };
    if (deployment.rolloutState === 'FAILED') {
      return { state: 'FAILED', deployment, reason: clause(deployment.rolloutStateReason || 'ECS marked the rollout FAILED') };
    }
    // Services behind a Classic Load Balancer have no rolloutState: steady means alone and at the desired count.
    const steady = deployments.length === 1 && deployment.runningCount === deployment.desiredCount;
    if (!deployment.rolloutState && steady) return { state: 'COMPLETED', deployment };
    return { state: 'IN_PROGRESS', deployment };
  }
  const primary = deployments.find((candidate) => candidate.status === 'PRIMARY');
  const successor = primary
    ? `deployment ${primary.id} of ${revisionName(primary.taskDefinition ?? 'an unknown revision')} is now PRIMARY`
    : 'no deployment is PRIMARY';
  if (deployment?.rolloutState === 'FAILED') {
    const why = clause(deployment.rolloutStateReason || 'the rollout FAILED');
    return { state: 'ROLLED_BACK', deployment, reason: `${why}; ${successor}` };
  }
  if (!deployment && rollbackEnabled) {
    return { state: 'ROLLED_BACK', reason: `the deployment is gone and ${successor} (a circuit breaker rollback)` };
  }
  return { state: 'FAILED', deployment, reason: `another deployment took over before it completed: ${successor}` };
}

export function statusLine(deployment: Deployment | undefined): string {
  if (!deployment) return 'deployment no longer listed';
  const state = deployment.rolloutState ?? 'no rollout state';
  return (
    `${state} · running ${deployment.runningCount ?? 0}/${deployment.desiredCount ?? 0} · ` +
    `pending ${deployment.pendingCount ?? 0} · failed tasks ${deployment.failedTasks ?? 0}`
  );
}

/** Hands out each service event once, oldest first; the events from before the deploy count as already shown. */
export class EventFeed {
  private readonly seen = new Set<string>();

  constructor(shown: readonly ServiceEvent[] = []) {
    for (const event of shown) if (event.id) this.seen.add(event.id);
  }

  next(events: readonly ServiceEvent[] = []): ServiceEvent[] {
    const fresh = events.filter((event) => event.id && !this.seen.has(event.id));
    for (const event of fresh) this.seen.add(event.id as string);
    // ECS lists newest first; reversed, a stable sort keeps events of the same instant in the order they happened.
    return fresh.reverse().sort((a, b) => (a.createdAt?.getTime() ?? 0) - (b.createdAt?.getTime() ?? 0));
  }
}

export function formatEvent(event: ServiceEvent): string {
  return `${event.createdAt?.toISOString() ?? '(no time)'} ${event.message ?? ''}`;
}

export interface WatchOptions {
  ecs: EcsApi;
  cluster: string;
  service: string;
  deploymentId: string;
  rollbackEnabled: boolean;
  intervalMs: number;
  timeoutMs: number;
  feed: EventFeed;
  /** Prints the deployment's stopped tasks as they stop. */
  stoppedTasks?: StoppedTaskFeed;
  log: (line: string) => void;
  clock?: Clock;
}

export interface WatchResult {
  state: SettledState | 'TIMED_OUT';
  reason?: string;
  /** The last DescribeServices answer (its events feed the summary). */
  service?: Service;
}

/**
 * Polls at a fixed interval, printing new events and every change of the deployment's state, until it settles. A look
 * that fails for a transient reason (after the SDK's retries) is skipped: only the deadline ends the watch, with the
 * last state seen.
 */
export async function watchRollout(options: WatchOptions): Promise<WatchResult> {
  const { ecs, cluster, service, deploymentId, rollbackEnabled, feed, log } = options;
  let last: Service | undefined;
  let lastLine = '';
  let failing: { error: unknown; since: number; looks: number } | undefined;
  const clock = options.clock ?? systemClock;
  try {
    return await pollUntil<WatchResult>({
      description: `deployment ${deploymentId} to complete`,
      intervalMs: options.intervalMs,
      timeoutMs: options.timeoutMs,
      clock,
      hint: 'The service events above say what ECS is waiting for; raise timeout-minutes if rollouts are just slow.',
      check: async () => {
        try {
          last = await ecs.describeService(cluster, service);
        } catch (error) {
          if (!isTransient(error)) throw error;
          failing = { error, since: failing?.since ?? clock.now(), looks: (failing?.looks ?? 0) + 1 };
          log(`Could not look at the rollout (${describeError(error)}); following it on until the deadline.`);
          return { done: false, state: lastLine ? `${lastLine} (last seen)` : undefined };
        }
        failing = undefined;
        for (const event of feed.next(last.events)) log(formatEvent(event));
        const observation = observe(last, deploymentId, rollbackEnabled);
        const line = statusLine(observation.deployment);
        if (line !== lastLine) log(`${deploymentId}: ${line}`);
        lastLine = line;
        await options.stoppedTasks?.look(observation.deployment);
        if (observation.state === 'IN_PROGRESS') return { done: false, state: line };
        return { done: true, value: { state: observation.state, reason: observation.reason, service: last } };
      },
    });
  } catch (error) {
    if (!(error instanceof TimeoutError)) throw error;
    const unseen = failing
      ? ` The last ${failing.looks} looks (for ${formatDuration(clock.now() - failing.since)}) failed: ${describeError(failing.error)}.`
      : '';
    return { state: 'TIMED_OUT', reason: `${error.message}${unseen}`, service: last };
  }
}
