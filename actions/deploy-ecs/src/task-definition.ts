import type { ContainerDefinition, RegisterTaskDefinitionCommandInput, Tag } from '@aws-sdk/client-ecs';
import { ConfigurationError } from '@notebook-ship/action-kit';

export type TaskDefinitionInput = RegisterTaskDefinitionCommandInput;

/** What DescribeTaskDefinition returns on top of what RegisterTaskDefinition accepts. */
const DESCRIBE_ONLY = new Set([
  'taskDefinitionArn',
  'revision',
  'status',
  'requiresAttributes',
  'compatibilities',
  'registeredAt',
  'registeredBy',
  'deregisteredAt',
  'deleteRequestedAt',
]);

/** Tags this action writes after a rollout: they describe one revision's history, so a new revision starts without them. */
export const OWN_TAG_PREFIX = 'deploy-ecs:';

/** Tags that may be copied to a new revision: not ours, and not in the `aws:` namespace that ECS refuses. */
export function isCopyableTag(tag: Tag): boolean {
  const key = tag.key ?? '';
  return key !== '' && !key.startsWith(OWN_TAG_PREFIX) && !key.toLowerCase().startsWith('aws:');
}

/**
 * A RegisterTaskDefinition input from a described revision (or a JSON file in either shape): describe-only fields
 * stripped, everything else kept, tags included.
 */
export function toRegisterInput(definition: object, tags: readonly Tag[] = []): TaskDefinitionInput {
  const input: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(definition)) {
    if (!DESCRIBE_ONLY.has(key) && key !== 'tags' && value !== undefined && value !== null) input[key] = withoutNulls(value);
  }
  const kept = tags.filter(isCopyableTag);
  if (kept.length) input.tags = kept.map(({ key, value }) => ({ key, value }));
  return input as unknown as TaskDefinitionInput;
}

/** Older CLI output spells unset fields as null, which RegisterTaskDefinition does not accept. */
function withoutNulls(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (value === null || typeof value !== 'object' || value instanceof Date) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, item]) => item !== null && item !== undefined)
      .map(([key, item]) => [key, withoutNulls(item)]),
  );
}

export interface ContainerChange {
  /** Empty: keep the container's image. */
  image: string;
  /** Empty: the only essential container. */
  containerName: string;
  environment: ReadonlyMap<string, string>;
}

/** The container that gets the new image: the named one, else the only essential one (ECS's default is essential). */
export function chooseContainer(input: TaskDefinitionInput, containerName: string): ContainerDefinition {
  const containers = input.containerDefinitions ?? [];
  const names = containers.map((container) => `"${container.name}"`).join(', ');
  if (containerName) {
    const named = containers.find((container) => container.name === containerName);
    if (!named) {
      throw new ConfigurationError(
        `Container "${containerName}" is not in task definition family "${input.family}"; its containers are ${names}. ` +
          'Fix the container-name input.',
      );
    }
    return named;
  }
  const essential = containers.filter((container) => container.essential !== false);
  if (essential.length === 1) return essential[0] as ContainerDefinition;
  throw new ConfigurationError(
    `Task definition family "${input.family}" has ${essential.length} essential containers (${essential
      .map((container) => `"${container.name}"`)
      .join(', ')}) among ${names}: set container-name to the one that gets the new image.`,
  );
}

export interface RenderedDefinition {
  definition: TaskDefinitionInput;
  /** The container that got the change; empty when there was none to make. */
  containerName: string;
}

/** A copy of `base` with the chosen container's image and environment changed; `base` is left as it was. */
export function renderTaskDefinition(base: TaskDefinitionInput, change: ContainerChange): RenderedDefinition {
  const rendered = structuredClone(base);
  if (!change.image && change.environment.size === 0) return { definition: rendered, containerName: '' };
  const container = chooseContainer(rendered, change.containerName);
  if (change.image) container.image = change.image;
  if (change.environment.size > 0) {
    const secrets = new Set((container.secrets ?? []).map((secret) => secret.name));
    const clash = [...change.environment.keys()].filter((name) => secrets.has(name));
    if (clash.length) {
      throw new ConfigurationError(
        `Container "${container.name}" already gets ${clash.join(', ')} from secrets; ECS refuses a name in both ` +
          'environment and secrets: remove it from the environment input.',
      );
    }
    const environment = [...(container.environment ?? [])];
    for (const [name, value] of change.environment) {
      const existing = environment.findIndex((variable) => variable.name === name);
      if (existing >= 0) environment[existing] = { name, value };
      else environment.push({ name, value });
    }
    container.environment = environment;
  }
  return { definition: rendered, containerName: container.name as string };
}

/**
 * Whether two definitions would register the same revision: key order, absent-vs-empty values and tag order do not
 * count. Fields ECS fills in by default (a container's `cpu: 0`, ...) do count, so a hand-written file that omits
 * them registers a new revision even when it means the same thing.
 */
export function sameDefinition(a: TaskDefinitionInput, b: TaskDefinitionInput): boolean {
  return JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));
}

function canonical(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) {
    const items = value.map((item) => canonical(item)).filter((item) => item !== undefined);
    if (key === 'tags') items.sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    return items.length ? items : undefined;
  }
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value)
      .sort()
      .map((name) => [name, canonical((value as Record<string, unknown>)[name], name)] as const)
      .filter(([, item]) => item !== undefined);
    return entries.length ? Object.fromEntries(entries) : undefined;
  }
  return value ?? undefined;
}

/** Parses a task definition JSON file: RegisterTaskDefinition input, or DescribeTaskDefinition output. */
export function parseTaskDefinitionFile(text: string, path: string): TaskDefinitionInput {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ConfigurationError(`Task definition file ${path} is not valid JSON: ${(error as Error).message}.`);
  }
  const document = parsed as { taskDefinition?: object; tags?: Tag[] } & Record<string, unknown>;
  const definition = (document.taskDefinition ?? document) as Record<string, unknown>;
  const tags = (document.taskDefinition ? document.tags : definition.tags) as Tag[] | undefined;
  const input = toRegisterInput(definition, tags ?? []);
  if (typeof input.family !== 'string' || !Array.isArray(input.containerDefinitions) || !input.containerDefinitions.length) {
    throw new ConfigurationError(
      `Task definition file ${path} needs a "family" and at least one entry in "containerDefinitions" ` +
        '(the shape of `aws ecs register-task-definition --cli-input-json` or of `describe-task-definition` output).',
    );
  }
  return input;
}
