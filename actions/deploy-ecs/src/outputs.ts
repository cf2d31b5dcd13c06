import type { Outputs } from '@notebook-ship/action-kit';
import type { DeployOutcome } from './deploy';

export type DeployOutputs = Outputs<
  | 'task-definition-arn'
  | 'kernel-task-definition-arn'
  | 'previous-task-definition-arn'
  | 'deployment-id'
  | 'rollout-state'
  | 'duration-seconds'
>;

/** The step's outputs. An interrupted deploy has no rollout outcome: those outputs stay empty, as if never set. */
export function deployOutputs(outcome: DeployOutcome): DeployOutputs {
  const { report } = outcome;
  const finished = outcome.kind === 'finished';
  return {
    'task-definition-arn': report.targetArn,
    'kernel-task-definition-arn': report.kernel?.arn ?? '',
    'previous-task-definition-arn': report.previousArn,
    'deployment-id': report.deploymentId,
    'rollout-state': finished ? report.state : '',
    'duration-seconds': finished ? String(Math.round(report.durationMs / 1_000)) : '',
  };
}
