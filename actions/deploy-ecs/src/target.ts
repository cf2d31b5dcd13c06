import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigurationError, type Io } from '@notebook-ship/action-kit';
import type { EcsApi } from './ecs-api';
import type { Source } from './inputs';
import { deployKernel, withKernel, type KernelRevision } from './kernel';
import { findPrevious } from './previous';
import { parseRevisionReference, revisionName } from './references';
import { registerUnlessExisting } from './register';
import type { DeployReport } from './report';
import {
  parseTaskDefinitionFile,
  renderTaskDefinition,
  toRegisterInput,
  type TaskDefinitionInput,
} from './task-definition';
import { refuseVersionWithoutImage } from './version-guard';

/** The revision deployed, and what this run put into it. */
export type Target = Pick<DeployReport, 'targetArn' | 'registered' | 'image' | 'containerName' | 'kernel'>;

/** Finds, or renders and registers, the revision the service is to run. */
export async function chooseTarget(
  source: Exclude<Source, { kind: 'scale-to-zero' }>,
  ecs: EcsApi,
  region: string,
  cluster: string,
  service: string,
  runningArn: string,
  io: Io,
  {
    allowVersionWithoutImage,
    now,
    onKernel = () => undefined,
  }: {
    allowVersionWithoutImage: boolean;
    now: number;
    /** Told the kernel revision as soon as it exists, so that a failure after it still reports it. */
    onKernel?: (kernel: KernelRevision) => void;
  },
): Promise<Target> {
  const asIs = (targetArn: string): Target => ({ targetArn, registered: false, image: '', containerName: '' });
  if (source.kind === 'previous') {
    const arn = await findPrevious(ecs, cluster, service, runningArn);
    io.info(`"previous" is ${revisionName(arn)}, the last revision deploy-ecs rolled out to ${cluster}/${service} before.`);
    return asIs(arn);
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
    return asIs(taskDefinition.taskDefinitionArn as string);
  }

  const running = await ecs.describeTaskDefinition(runningArn);
  const current = toRegisterInput(running.taskDefinition, running.tags);
  const { base, origin } = await baseOf(source, ecs, region, current, runningArn);
  // The kernel first: the server's revision names it.
  const kernel = source.kernel
    ? await deployKernel(source.kernel, source.change, current, { ecs, region, now, io })
    : undefined;
  if (kernel) onKernel(kernel);
  const change = kernel ? withKernel(source.change, kernel.arn) : source.change;
  const { definition, containerName } = renderTaskDefinition(base, change);
  const what = [
    change.image && `image ${change.image}`,
    change.environment.size > 0 && `environment ${[...change.environment.keys()].join(', ')}`,
  ].filter(Boolean);
  io.info(`Rendered from ${origin}${what.length ? ` with ${what.join(' and ')} in container "${containerName}"` : ''}.`);
  const rendered = { registered: false, image: change.image, containerName };
  if (containerName && !allowVersionWithoutImage) refuseVersionWithoutImage(current, definition, containerName);
  const { arn, registered } = await registerUnlessExisting(ecs, definition, [{ arn: runningArn, definition: current }], now, io);
  return { ...rendered, targetArn: arn, registered, ...(kernel && { kernel }) };
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

