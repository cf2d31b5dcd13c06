import type { Deployment, Task } from '@aws-sdk/client-ecs';
import type { EcsApi } from './ecs-api';
import { describeStoppedTask } from './report';
import { describeError } from './transient';

export interface DeploymentTasks {
  ecs: EcsApi;
  cluster: string;
  service: string;
  deploymentId: string;
  targetArn: string;
}

/** Stopped tasks of one deployment (started by it, or of its revision), newest first. */
export async function stoppedTasksOf({ ecs, cluster, service, deploymentId, targetArn }: DeploymentTasks): Promise<Task[]> {
  const tasks = await ecs.stoppedTasks(cluster, service);
  return tasks.filter((task) => task.startedBy === deploymentId || task.taskDefinitionArn === targetArn);
}

/**
 * Prints each stopped task of the deployment once, when ECS counts a new failure: a crash-looping task shows why it
 * stops at its first stop, not only once the circuit breaker gives up or the deploy times out.
 */
export class StoppedTaskFeed {
  private readonly shown = new Set<string>();
  private failedTasks = 0;

  constructor(
    private readonly tasks: DeploymentTasks,
    private readonly log: (line: string) => void,
  ) {}

  async look(deployment: Deployment | undefined): Promise<void> {
    const failed = deployment?.failedTasks ?? 0;
    // failedTasks counts consecutive failures: any change to a non-zero count means another task stopped.
    if (failed === 0 || failed === this.failedTasks) return;
    let stopped: Task[];
    try {
      stopped = await stoppedTasksOf(this.tasks);
    } catch (error) {
      this.log(`Could not read the stopped tasks yet (${describeError(error)}); trying again at the next failure.`);
      return;
    }
    this.failedTasks = failed;
    for (const task of stopped.reverse()) {
      const arn = task.taskArn ?? '';
      if (this.shown.has(arn)) continue;
      this.shown.add(arn);
      this.log(`Stopped ${describeStoppedTask(task)}`);
    }
  }
}
