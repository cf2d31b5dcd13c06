import { describe, expect, it } from '@jest/globals';
import type { Task } from '@aws-sdk/client-ecs';
import { ConfigurationError, TimeoutError } from '@notebook-ship/action-kit';
import { describeStoppedTask, failureError, renderSummary } from '../src/report';
import { arn, deployReport as report } from './helpers';

const crashed: Task = {
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/0a1b2c3d',
  stopCode: 'EssentialContainerExited',
  stoppedReason: 'Essential container in task exited',
  stoppedAt: new Date(Date.UTC(2026, 10, 22, 10, 0, 0)),
  containers: [
    { name: 'notebook', exitCode: 137, reason: 'OutOfMemoryError: Container killed due to memory usage' },
    { name: 'log-router', lastStatus: 'STOPPED' },
  ],
};
const pullFailed: Task = {
  taskArn: 'arn:aws:ecs:us-east-1:123456789012:task/prod/ffee',
  stopCode: 'TaskFailedToStart',
  stoppedReason: 'CannotPullContainerError: not found',
  containers: [{ name: 'notebook' }],
};

describe('describeStoppedTask', () => {
  it('gives the stop code, the reason and each container’s exit code and reason', () => {
    expect(describeStoppedTask(crashed)).toBe(
      'task 0a1b2c3d: EssentialContainerExited: Essential container in task exited; ' +
        'notebook exit code 137 (OutOfMemoryError: Container killed due to memory usage)',
    );
    expect(describeStoppedTask(pullFailed)).toBe('task ffee: TaskFailedToStart: CannotPullContainerError: not found');
    expect(describeStoppedTask({})).toBe('task unknown: stopped');
  });
});

describe('failureError', () => {
  it('fails a FAILED or ROLLED_BACK rollout with its reason and the first stopped task', () => {
    const failed = failureError(report({ state: 'FAILED', reason: 'tasks failed to start', stoppedTasks: [crashed, pullFailed] }));
    expect(failed).toBeInstanceOf(ConfigurationError);
    expect(failed.message).toBe(
      'Deployment ecs-svc/42 of notebook:2 failed: tasks failed to start. Stopped task 0a1b2c3d: EssentialContainerExited: ' +
        'Essential container in task exited; notebook exit code 137 (OutOfMemoryError: Container killed due to memory usage) ' +
        '(+1 more). Service events and stopped tasks are in the log and the job summary.',
    );
    expect(failureError(report({ state: 'ROLLED_BACK', reason: 'x' })).message).toBe(
      'Deployment ecs-svc/42 of notebook:2 was rolled back: x. Service events and stopped tasks are in the log and the job summary.',
    );
  });

  it('says a failed first deploy left the service at zero tasks, and what to do', () => {
    const first = { firstDeploy: true, previousArn: '', state: 'ROLLED_BACK' as const, reason: 'tasks failed to start' };
    expect(failureError(report({ ...first, scaledToZero: true, stoppedTasks: [pullFailed] })).message).toBe(
      'Deployment ecs-svc/42 of notebook:2 was rolled back: tasks failed to start. Stopped task ffee: TaskFailedToStart: ' +
        'CannotPullContainerError: not found. First deploy: nothing ran before (the service asked for no task), so the ' +
        'service is back to zero tasks rather than ECS retrying a revision that cannot start. Fix the image and push again. ' +
        'Service events and stopped tasks are in the log and the job summary.',
    );
    expect(failureError(report({ ...first, state: 'TIMED_OUT', reason: 'Timed out.' })).message).toBe(
      'Timed out. The rollout goes on in ECS: deploy-ecs only stopped following it, so the service may still complete ' +
        'or roll back (see the console link in the job summary). First deploy: nothing ran before (the service asked for no task), and setting the service back to zero ' +
        'tasks failed: run aws ecs update-service --cluster prod --service notebook --desired-count 0, then fix the image ' +
        'and push again. Service events and stopped tasks are in the log and the job summary.',
    );
  });

  it('keeps the timeout message and its TimeoutError type', () => {
    const error = failureError(report({ state: 'TIMED_OUT', reason: 'Timed out after 15m waiting.', stoppedTasks: [pullFailed] }));
    expect(error).toBeInstanceOf(TimeoutError);
    expect(error.message).toBe(
      'Timed out after 15m waiting. The rollout goes on in ECS: deploy-ecs only stopped following it, so the service may ' +
        'still complete or roll back (see the console link in the job summary). Stopped task ffee: TaskFailedToStart: CannotPullContainerError: not found. ' +
        'Service events and stopped tasks are in the log and the job summary.',
    );
  });
});

describe('renderSummary', () => {
  it('shows service, revisions, image, deployment, outcome, duration, settings, console link and downtime', () => {
    expect(renderSummary(report())).toBe(
      [
        '## ✅ ECS deploy of prod/notebook: COMPLETED',
        '',
        '| | |',
        '| --- | --- |',
        '| **Service** | prod/notebook (us-east-1) |',
        '| **Task definition** | notebook:1 → notebook:2 (registered by this run) |',
        '| **Image** | notebook:1.2.3 (container notebook) |',
        '| **Deployment** | ecs-svc/42 |',
        '| **Outcome** | COMPLETED |',
        '| **Duration** | 1m 5s |',
        '| **Deployment settings** | minimum healthy 0%, maximum 100%, circuit breaker with rollback |',
        '| **Console** | [prod/notebook deployments](https://us-east-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/notebook/deployments?region=us-east-1) |',
        '',
        '> [!NOTE]',
        '> Expect a brief downtime: with minimum healthy 0% ECS stops the running task before the new one starts.',
        '',
      ].join('\n'),
    );
  });

  it('adds the stopped tasks and the last events (oldest last) to a failure', () => {
    const markdown = renderSummary(
      report({
        state: 'FAILED',
        reason: 'tasks failed to start',
        downtime: false,
        circuitBreaker: false,
        stoppedTasks: [crashed],
        lastEvents: [
          { id: '2', createdAt: new Date(Date.UTC(2026, 10, 22, 10, 1)), message: '(service notebook) deployment failed | x' },
          { id: '1', createdAt: new Date(Date.UTC(2026, 10, 22, 10, 0)), message: '(service notebook) has started 1 tasks.' },
        ],
      }),
    );
    expect(markdown).toContain('## ❌ ECS deploy of prod/notebook: FAILED');
    expect(markdown).toContain('| **Outcome** | FAILED: tasks failed to start |');
    expect(markdown).toContain('minimum healthy 0%, maximum 100%, no circuit breaker');
    expect(markdown).not.toContain('downtime');
    expect(markdown).toContain(
      '| 0a1b2c3d | 2026-11-22T10:00:00.000Z | EssentialContainerExited: Essential container in task exited; notebook exit code 137',
    );
    expect(markdown).toContain(
      '| 2026-11-22T10:01:00.000Z | (service notebook) deployment failed \\| x |\n| 2026-11-22T10:00:00.000Z | (service notebook) has started 1 tasks. |',
    );
  });

  it('says it was the first deploy, and on failure that the service is back to zero tasks', () => {
    const completed = renderSummary(report({ firstDeploy: true, previousArn: '', downtime: false }));
    expect(completed).toContain('| **Task definition** | notebook:2 (registered by this run), first deploy |');
    expect(completed).toContain(
      '> [!NOTE]\n> First deploy: nothing ran before (the service asked for no task), so this deploy set it to 1 task ' +
        '(deploy-ecs runs it as a single task).',
    );
    const failed = renderSummary(report({ firstDeploy: true, previousArn: '', state: 'FAILED', scaledToZero: true }));
    expect(failed).toContain('> [!WARNING]\n> First deploy: nothing ran before (the service asked for no task), so the service is back to zero tasks');
  });

  it('shows what scale-to-zero stopped, without deployment settings', () => {
    const markdown = renderSummary(
      report({ state: 'SCALED_TO_ZERO', targetArn: '', image: '', deploymentId: '', downtime: false, scaledToZero: true }),
    );
    expect(markdown).toContain('## ⏹️ ECS deploy of prod/notebook: SCALED_TO_ZERO');
    expect(markdown).toContain('| **Task definition** | notebook:1 → no task |');
    expect(markdown).not.toContain('Deployment settings');
    expect(markdown).not.toContain('**Deployment**');
    expect(renderSummary(report({ state: 'SCALED_TO_ZERO', previousArn: '', targetArn: '', firstDeploy: true }))).toContain(
      '| **Task definition** | no task (already) |',
    );
  });

  it('shows an unchanged revision and leaves out the image row for a rollback by ARN', () => {
    const markdown = renderSummary(report({ previousArn: arn(2), registered: false, image: '', state: 'NOT_WAITED' }));
    expect(markdown).toContain('| **Task definition** | notebook:2 (unchanged) |');
    expect(markdown).not.toContain('**Image**');
    expect(markdown).toContain('## ⏩ ECS deploy of prod/notebook: NOT_WAITED');
  });
});
