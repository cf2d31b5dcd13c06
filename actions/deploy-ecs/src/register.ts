import { formatDuration, type Io } from '@notebook-ship/action-kit';
import type { EcsApi } from './ecs-api';
import { revisionName } from './references';
import { sameDefinition, toRegisterInput, type TaskDefinitionInput } from './task-definition';

/** A revision that ECS has, and what it holds. */
export interface ExistingRevision {
  arn: string;
  definition: TaskDefinitionInput;
}

/**
 * The revision that is exactly `definition`: one of `existing` (the running one, say), else the family's latest if
 * it was registered moments ago (an earlier attempt of this deploy), else a new one registered now. So running a
 * deploy again, or deploying what runs, registers nothing.
 */
export async function registerUnlessExisting(
  ecs: EcsApi,
  definition: TaskDefinitionInput,
  existing: readonly ExistingRevision[],
  now: number,
  io: Io,
): Promise<{ arn: string; registered: boolean }> {
  const same = existing.find((revision) => sameDefinition(definition, revision.definition));
  if (same) {
    io.info(`${revisionName(same.arn)} already is that definition: no new revision registered.`);
    return { arn: same.arn, registered: false };
  }
  const reusable = await recentIdenticalRevision(ecs, definition, now, io);
  if (reusable) return { arn: reusable, registered: false };
  const registered = await ecs.registerTaskDefinition(definition);
  io.info(`Registered ${revisionName(registered.taskDefinitionArn as string)}.`);
  return { arn: registered.taskDefinitionArn as string, registered: true };
}

/** How recent an identical revision must be to be taken for this deploy's own: a retried step or a re-run job. */
export const REUSE_WINDOW_MS = 10 * 60_000;

/**
 * The family's latest ACTIVE revision when it is exactly `definition` and was registered moments ago, so that a
 * deploy run again after its registration (a re-run job, a retried step) does not register a second revision.
 * Not finding one only costs a revision, so a failed look is a warning.
 */
async function recentIdenticalRevision(
  ecs: EcsApi,
  definition: TaskDefinitionInput,
  now: number,
  io: Io,
): Promise<string | undefined> {
  try {
    const [latest] = await ecs.listRevisions(definition.family as string);
    if (!latest) return undefined;
    const { taskDefinition, tags } = await ecs.describeTaskDefinition(latest);
    const registeredAt = taskDefinition.registeredAt?.getTime();
    if (registeredAt === undefined || now - registeredAt > REUSE_WINDOW_MS) return undefined;
    if (!sameDefinition(definition, toRegisterInput(taskDefinition, tags))) return undefined;
    io.info(
      `Reusing ${revisionName(latest)}: it is exactly this definition, registered ${formatDuration(Math.max(0, now - registeredAt))} ` +
        'ago (by an earlier attempt of this deploy), so no second revision is registered.',
    );
    return latest;
  } catch (error) {
    io.warning(
      `Could not look for an identical revision registered moments ago, so a new one is registered: ${(error as Error).message}`,
    );
    return undefined;
  }
}

