import { describe, expect, it } from '@jest/globals';
import type { Deployment, Service, ServiceEvent, Task } from '@aws-sdk/client-ecs';
import type { Clock } from '@notebook-ship/action-kit';
import type { EcsApi } from '../src/ecs-api';
import { EventFeed, formatEvent, observe, statusLine, watchRollout } from '../src/rollout';
import { StoppedTaskFeed } from '../src/stopped-tasks';

const OLD = 'arn:aws:ecs:us-east-1:123456789012:task-definition/notebook:1';
const NEW = 'arn:aws:ecs:us-east-1:123456789012:task-definition/notebook:2';

function deployment(overrides: Partial<Deployment>): Deployment {
  return {
    id: 'ecs-svc/2',
    status: 'PRIMARY',
    taskDefinition: NEW,
    desiredCount: 1,
    runningCount: 0,
    pendingCount: 1,
    failedTasks: 0,
    rolloutState: 'IN_PROGRESS',
    ...overrides,
  };
}
const old = deployment({ id: 'ecs-svc/1', status: 'ACTIVE', taskDefinition: OLD, rolloutState: 'COMPLETED', pendingCount: 0 });
const service = (deployments: Deployment[], events: ServiceEvent[] = []): Service => ({ status: 'ACTIVE', deployments, events });

describe('observe', () => {
  it('is in progress while our deployment is PRIMARY and IN_PROGRESS', () => {
    expect(observe(service([deployment({}), old]), 'ecs-svc/2', true).state).toBe('IN_PROGRESS');
  });

  it('completes on rolloutState COMPLETED', () => {
    const ours = deployment({ rolloutState: 'COMPLETED', runningCount: 1, pendingCount: 0 });
    expect(observe(service([ours]), 'ecs-svc/2', true)).toEqual({ state: 'COMPLETED', deployment: ours });
  });

  it('fails on rolloutState FAILED while still PRIMARY, with ECS’s reason', () => {
    const ours = deployment({ rolloutState: 'FAILED', rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.' });
    expect(observe(service([ours, old]), 'ecs-svc/2', false)).toEqual({
      state: 'FAILED',
      deployment: ours,
      reason: 'ECS deployment circuit breaker: tasks failed to start',
    });
  });

  it('reports a rollback when our failed deployment is no longer PRIMARY', () => {
    const ours = deployment({ status: 'ACTIVE', rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start.' });
    const rollback = deployment({ id: 'ecs-svc/3', taskDefinition: OLD });
    expect(observe(service([rollback, ours]), 'ecs-svc/2', true)).toEqual({
      state: 'ROLLED_BACK',
      deployment: ours,
      reason: 'tasks failed to start; deployment ecs-svc/3 of notebook:1 is now PRIMARY',
    });
  });

  it('reports a rollback when our deployment is gone and the circuit breaker may roll back', () => {
    const rollback = deployment({ id: 'ecs-svc/3', taskDefinition: OLD, rolloutState: 'COMPLETED' });
    expect(observe(service([rollback]), 'ecs-svc/2', true)).toEqual({
      state: 'ROLLED_BACK',
      reason: 'the deployment is gone and deployment ecs-svc/3 of notebook:1 is now PRIMARY (a circuit breaker rollback)',
    });
  });

  it('fails when another deployment takes over', () => {
    const ours = deployment({ status: 'ACTIVE' });
    const other = deployment({ id: 'ecs-svc/9', taskDefinition: OLD.replace(/:1$/, ':7') });
    expect(observe(service([other, ours]), 'ecs-svc/2', true)).toMatchObject({
      state: 'FAILED',
      reason: 'another deployment took over before it completed: deployment ecs-svc/9 of notebook:7 is now PRIMARY',
    });
    expect(observe(service([other]), 'ecs-svc/2', false).state).toBe('FAILED');
  });

  it('fails when the service is being deleted', () => {
    expect(observe({ ...service([deployment({})]), status: 'DRAINING' }, 'ecs-svc/2', true)).toMatchObject({
      state: 'FAILED',
      reason: 'the service became DRAINING while it rolled out',
    });
  });

  it('falls back to "alone and at the desired count" for services without rolloutState', () => {
    const settling = deployment({ rolloutState: undefined, runningCount: 1, pendingCount: 0 });
    expect(observe(service([settling, old]), 'ecs-svc/2', true).state).toBe('IN_PROGRESS');
    expect(observe(service([settling]), 'ecs-svc/2', true).state).toBe('COMPLETED');
  });
});

describe('statusLine', () => {
  it('shows the rollout state and the task counts', () => {
    expect(statusLine(deployment({ failedTasks: 2 }))).toBe('IN_PROGRESS · running 0/1 · pending 1 · failed tasks 2');
    expect(statusLine(undefined)).toBe('deployment no longer listed');
  });
});

describe('EventFeed', () => {
  const event = (id: string, second: number, message = id): ServiceEvent => ({
    id,
    message,
    createdAt: new Date(Date.UTC(2026, 10, 22, 10, 0, second)),
  });

  it('hands out each event once, oldest first, skipping those from before the deploy', () => {
    const feed = new EventFeed([event('a', 1)]);
    // ECS lists newest first; c and b happened in the same second, b first.
    expect(feed.next([event('c', 3), event('b', 3), event('a', 1)]).map((e) => e.id)).toEqual(['b', 'c']);
    expect(feed.next([event('d', 4), event('c', 3), event('b', 3)]).map((e) => e.id)).toEqual(['d']);
    expect(feed.next(undefined)).toEqual([]);
  });

  it('prints an event with its time', () => {
    expect(formatEvent(event('a', 5, '(service notebook) has reached a steady state.'))).toBe(
      '2026-11-22T10:00:05.000Z (service notebook) has reached a steady state.',
    );
  });
});

describe('watchRollout', () => {
  function fakeClock(): Clock & { sleeps: number[] } {
    let now = 0;
    const sleeps: number[] = [];
    return { sleeps, now: () => now, sleep: async (ms) => void (sleeps.push(ms), (now += ms)) };
  }
  /** An EcsApi whose DescribeServices answers come from a list, the last one repeated. */
  function answering(answers: Service[]): EcsApi & { looks: number } {
    const api = {
      looks: 0,
      describeService: async () => answers[Math.min(api.looks++, answers.length - 1)] as Service,
    };
    return api as unknown as EcsApi & { looks: number };
  }
  const options = { cluster: 'prod', service: 'notebook', deploymentId: 'ecs-svc/2', rollbackEnabled: true };

  it('polls at the fixed interval, logs new events and state changes once, and stops at COMPLETED', async () => {
    const started: ServiceEvent = { id: 'e1', message: 'has started 1 tasks.', createdAt: new Date(1_000) };
    const steady: ServiceEvent = { id: 'e2', message: 'has reached a steady state.', createdAt: new Date(2_000) };
    const ecs = answering([
      service([deployment({}), old], [started]),
      service([deployment({}), old], [started]),
      service([deployment({ runningCount: 1, pendingCount: 0 }), old], [started]),
      service([deployment({ rolloutState: 'COMPLETED', runningCount: 1, pendingCount: 0 })], [steady, started]),
    ]);
    const clock = fakeClock();
    const log: string[] = [];
    const result = await watchRollout({
      ...options,
      ecs,
      intervalMs: 5_000,
      timeoutMs: 60_000,
      feed: new EventFeed(),
      log: (line) => log.push(line),
      clock,
    });
    expect(result.state).toBe('COMPLETED');
    expect(ecs.looks).toBe(4);
    expect(clock.sleeps).toEqual([5_000, 5_000, 5_000]);
    expect(log).toEqual([
      '1970-01-01T00:00:01.000Z has started 1 tasks.',
      'ecs-svc/2: IN_PROGRESS · running 0/1 · pending 1 · failed tasks 0',
      'ecs-svc/2: IN_PROGRESS · running 1/1 · pending 0 · failed tasks 0',
      '1970-01-01T00:00:02.000Z has reached a steady state.',
      'ecs-svc/2: COMPLETED · running 1/1 · pending 0 · failed tasks 0',
    ]);
  });

  it('returns TIMED_OUT with the timeout message and the last answer', async () => {
    const last = service([deployment({ failedTasks: 3 }), old]);
    const result = await watchRollout({
      ...options,
      ecs: answering([last]),
      intervalMs: 10_000,
      timeoutMs: 25_000,
      feed: new EventFeed(),
      log: () => undefined,
      clock: fakeClock(),
    });
    expect(result).toEqual({
      state: 'TIMED_OUT',
      reason:
        'Timed out after 25s waiting for deployment ecs-svc/2 to complete (4 checks). Last state: IN_PROGRESS · running 0/1 · ' +
        'pending 1 · failed tasks 3. The service events above say what ECS is waiting for; raise timeout-minutes if ' +
        'rollouts are just slow.',
      service: last,
    });
  });

  it('lets other errors through', async () => {
    const ecs = { describeService: async () => Promise.reject(new Error('socket hang up')) } as unknown as EcsApi;
    await expect(
      watchRollout({ ...options, ecs, intervalMs: 1, timeoutMs: 10, feed: new EventFeed(), log: () => undefined, clock: fakeClock() }),
    ).rejects.toThrow('socket hang up');
  });

  const throttled = () => Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });

  it('skips looks that fail transiently and completes when ECS answers again', async () => {
    let looks = 0;
    const answers = [service([deployment({})]), throttled(), throttled(), service([deployment({ rolloutState: 'COMPLETED' })])];
    const ecs = {
      describeService: async () => {
        const answer = answers[looks++];
        if (answer instanceof Error) throw answer;
        return answer;
      },
    } as unknown as EcsApi;
    const log: string[] = [];
    const result = await watchRollout({
      ...options,
      ecs,
      intervalMs: 1_000,
      timeoutMs: 60_000,
      feed: new EventFeed(),
      log: (line) => log.push(line),
      clock: fakeClock(),
    });
    expect(result.state).toBe('COMPLETED');
    expect(log.filter((line) => line.startsWith('Could not look'))).toEqual([
      'Could not look at the rollout (ThrottlingException: Rate exceeded); following it on until the deadline.',
      'Could not look at the rollout (ThrottlingException: Rate exceeded); following it on until the deadline.',
    ]);
  });

  it('times out on sustained throttling with the last state seen and the error', async () => {
    let looks = 0;
    const ecs = {
      describeService: async () => {
        if (looks++ === 0) return service([deployment({ failedTasks: 1 }), old]);
        throw throttled();
      },
    } as unknown as EcsApi;
    const result = await watchRollout({
      ...options,
      ecs,
      intervalMs: 10_000,
      timeoutMs: 30_000,
      feed: new EventFeed(),
      log: () => undefined,
      clock: fakeClock(),
    });
    expect(result.state).toBe('TIMED_OUT');
    expect(result.reason).toBe(
      'Timed out after 30s waiting for deployment ecs-svc/2 to complete (4 checks). Last state: IN_PROGRESS · running 0/1 · ' +
        'pending 1 · failed tasks 1 (last seen). The service events above say what ECS is waiting for; raise ' +
        'timeout-minutes if rollouts are just slow. The last 3 looks (for 20s) failed: ThrottlingException: Rate exceeded.',
    );
  });

  it('prints stopped tasks as soon as ECS counts them, each once', async () => {
    const task = (id: string, at: number, code: number): Task => ({
      taskArn: `arn:aws:ecs:us-east-1:123456789012:task/prod/${id}`,
      startedBy: 'ecs-svc/2',
      stopCode: 'EssentialContainerExited',
      stoppedReason: 'Essential container in task exited',
      stoppedAt: new Date(at),
      containers: [{ name: 'notebook', exitCode: code }],
    });
    const otherDeployment = { ...task('c0', 0, 9), startedBy: 'ecs-svc/1', taskDefinitionArn: OLD };
    const stopped = [[], [task('a1', 1, 1), otherDeployment], [task('b2', 2, 137), task('a1', 1, 1), otherDeployment]];
    const counts = [0, 1, 1, 2];
    let looks = 0;
    let lists = 0;
    const ecs = {
      describeService: async () => {
        const failedTasks = counts[Math.min(looks++, counts.length - 1)];
        return service([deployment({ failedTasks, rolloutState: looks > 4 ? 'FAILED' : 'IN_PROGRESS' })]);
      },
      stoppedTasks: async () => stopped[Math.min(++lists, stopped.length - 1)],
    } as unknown as EcsApi;
    const log: string[] = [];
    const tasks = { ecs, cluster: 'prod', service: 'notebook', deploymentId: 'ecs-svc/2', targetArn: NEW };
    const result = await watchRollout({
      ...options,
      ecs,
      intervalMs: 1_000,
      timeoutMs: 60_000,
      feed: new EventFeed(),
      stoppedTasks: new StoppedTaskFeed(tasks, (line) => log.push(line)),
      log: (line) => log.push(line),
      clock: fakeClock(),
    });
    expect(result.state).toBe('FAILED');
    expect(lists).toBe(2);
    expect(log.filter((line) => line.startsWith('Stopped'))).toEqual([
      'Stopped task a1: EssentialContainerExited: Essential container in task exited; notebook exit code 1',
      'Stopped task b2: EssentialContainerExited: Essential container in task exited; notebook exit code 137',
    ]);
    // Printed at the look that counted the failure, before the rollout failed.
    expect(log.indexOf('Stopped task a1: EssentialContainerExited: Essential container in task exited; notebook exit code 1')).toBe(
      log.indexOf('ecs-svc/2: IN_PROGRESS · running 0/1 · pending 1 · failed tasks 1') + 1,
    );
  });
});
