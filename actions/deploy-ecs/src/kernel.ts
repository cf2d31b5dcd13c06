import { ConfigurationError, type Io } from '@notebook-ship/action-kit';
import type { EcsApi } from './ecs-api';
import { familyOf, parseFamilyOrRevision, revisionName } from './references';
import { registerUnlessExisting, type ExistingRevision } from './register';
import { renderTaskDefinition, toRegisterInput, type ContainerChange, type TaskDefinitionInput } from './task-definition';
import { VERSION_VARIABLE } from './version-guard';

// Kernels as ECS tasks: the server starts kernel tasks of the revision its own environment names, so a deploy
// renders the kernel revision with the server's image and names it there. Server and kernel then always run one
// image (they speak one protocol), and a rollback to an older server revision brings back its own kernel revision.

/** The server's setting naming the kernel task definition that RunTask starts. */
export const KERNEL_VARIABLE = 'KERNEL_ECS_TASK_DEFINITION';
/** The kernel's container in the kernel task definition, as Terraform names it. */
export const KERNEL_CONTAINER = 'kernel';

/** The kernel revision a deploy rendered (and registered, unless an identical one existed). */
export interface KernelRevision {
  arn: string;
  registered: boolean;
  containerName: string;
}

/**
 * The kernel's container: the one named `kernel`, else the only essential one. A kernel definition with neither
 * is probably not the kernel's, which is worth failing on before anything is registered.
 */
export function kernelContainerName(definition: TaskDefinitionInput): string {
  const containers = definition.containerDefinitions ?? [];
  if (containers.some((container) => container.name === KERNEL_CONTAINER)) return KERNEL_CONTAINER;
  const essential = containers.filter((container) => container.essential !== false);
  if (essential.length === 1) return essential[0]?.name as string;
  const names = containers.map((container) => `"${container.name}"`).join(', ') || 'none';
  throw new ConfigurationError(
    `Kernel task definition family "${definition.family}" has no container named "${KERNEL_CONTAINER}" and ` +
      `${essential.length} essential containers (its containers: ${names}), so deploy-ecs cannot tell which one ` +
      `runs the kernel: check that kernel-task-definition names the kernel's task definition (Terraform's ` +
      `ecs_kernel_task_definition_arn output), or name its kernel container "${KERNEL_CONTAINER}".`,
  );
}

/**
 * What the kernel's container gets of the server's change: the image, and of the environment lines only
 * APP_VERSION, the label of the code both run. Other lines configure the server (the kernel's environment is
 * Terraform's: its limits and port), and a server setting in a kernel task would reach notebook code.
 */
export function kernelChange(server: ContainerChange, kernel: TaskDefinitionInput): ContainerChange {
  const version = server.environment.get(VERSION_VARIABLE);
  return {
    image: server.image,
    containerName: kernelContainerName(kernel),
    environment: new Map(version === undefined ? [] : [[VERSION_VARIABLE, version]]),
  };
}

/** The server's change, plus the kernel revision its container names. */
export function withKernel(server: ContainerChange, kernelArn: string): ContainerChange {
  return { ...server, environment: new Map([...server.environment, [KERNEL_VARIABLE, kernelArn]]) };
}

/** The kernel revision a server definition names, when it names one revision (not a family) of `family`. */
export function namedKernelRevision(server: TaskDefinitionInput, family: string): string | undefined {
  const named = (server.containerDefinitions ?? [])
    .flatMap((container) => container.environment ?? [])
    .find((variable) => variable.name === KERNEL_VARIABLE)?.value;
  return named && named.includes(':task-definition/') && familyOf(named) === family ? named : undefined;
}

/**
 * Renders the kernel revision `reference` names with the server's image (and APP_VERSION), and registers it
 * unless a revision already is exactly that: the one given, the one the running server names (the same image
 * deployed again), or one registered moments ago (a re-run).
 */
export async function deployKernel(
  reference: string,
  server: ContainerChange,
  running: TaskDefinitionInput,
  { ecs, region, now, io }: { ecs: EcsApi; region: string; now: number; io: Io },
): Promise<KernelRevision> {
  const given = await ecs.describeTaskDefinition(parseFamilyOrRevision(reference, region, 'kernel-task-definition'));
  const givenArn = given.taskDefinition.taskDefinitionArn as string;
  const base = toRegisterInput(given.taskDefinition, given.tags);
  const change = kernelChange(server, base);
  const { definition } = renderTaskDefinition(base, change);
  io.info(
    `Rendered the kernel from ${revisionName(givenArn)} (kernel-task-definition) with image ${change.image}` +
      `${change.environment.size ? ` and ${VERSION_VARIABLE}` : ''} in container "${change.containerName}".`,
  );
  // An INACTIVE revision starts no new task, so it is rendered from, never reused.
  const existing: ExistingRevision[] = given.taskDefinition.status === 'ACTIVE' ? [{ arn: givenArn, definition: base }] : [];
  const runningKernel = namedKernelRevision(running, familyOf(givenArn));
  if (runningKernel && runningKernel !== givenArn) {
    const described = await ecs.describeTaskDefinition(runningKernel).catch((error: Error) => {
      io.warning(`Could not read ${revisionName(runningKernel)}, the kernel revision the service runs with: ${error.message}`);
      return undefined;
    });
    if (described?.taskDefinition.status === 'ACTIVE') {
      existing.push({ arn: runningKernel, definition: toRegisterInput(described.taskDefinition, described.tags) });
    }
  }
  const { arn, registered } = await registerUnlessExisting(ecs, definition, existing, now, io);
  return { arn, registered, containerName: change.containerName };
}
