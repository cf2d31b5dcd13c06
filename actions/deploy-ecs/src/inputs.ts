import {
  ConfigurationError,
  booleanInput,
  integerInput,
  keyValueInput,
  optionalInput,
  requiredInput,
  type Io,
} from '@notebook-ship/action-kit';
import { parseImageReference } from './image-reference';
import { KERNEL_VARIABLE } from './kernel';
import type { ContainerChange } from './task-definition';

/**
 * Where the revision to deploy comes from. Only a rendered revision carries an image and environment: an existing
 * revision is deployed as-is, so no code can put an image into a rollback.
 */
export type Source =
  /** The revision the service runs now, with the image and environment swapped in. */
  | ({ kind: 'render' } & Rendering)
  /** A named revision (Terraform's newest), with the image and environment swapped in. */
  | ({ kind: 'base'; reference: string } & Rendering)
  /** A JSON file (RegisterTaskDefinition input or DescribeTaskDefinition output), image and environment swapped in. */
  | ({ kind: 'file'; path: string } & Rendering)
  /** An existing revision, deployed as-is. */
  | { kind: 'revision'; reference: string }
  /** The most recent revision this action deployed to the service successfully, other than the running one. */
  | { kind: 'previous' }
  /** No revision: the service is set to zero tasks (taking back a first deploy, when nothing ran before). */
  | { kind: 'scale-to-zero' };

/** What a new revision is rendered with. */
export interface Rendering {
  change: ContainerChange;
  /**
   * The kernel task definition (family, ARN or family:revision) to render with the same image; the server's
   * revision then names the kernel revision in KERNEL_ECS_TASK_DEFINITION. Absent: no kernel revision.
   */
  kernel?: string;
}

export interface DeployConfig {
  cluster: string;
  service: string;
  /** Empty: AWS_REGION / AWS_DEFAULT_REGION. */
  region: string;
  source: Source;
  minimumHealthyPercent: number;
  maximumPercent: number;
  circuitBreaker: boolean;
  wait: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  /** A new APP_VERSION on the image the service runs now is allowed (a relabel), not refused as a forgotten image. */
  allowVersionWithoutImage: boolean;
  /** Each ECR image of the revision to deploy is looked up (DescribeImages) before UpdateService. */
  verifyImage: boolean;
}

export function readConfig(io: Io): DeployConfig {
  const image = optionalInput('image');
  const taskDefinitionArn = optionalInput('task-definition-arn');
  const file = optionalInput('task-definition');
  const base = optionalInput('base-task-definition');
  const containerName = optionalInput('container-name');
  const environment = keyValueInput('environment');
  const scaleToZero = booleanInput('scale-to-zero', false);
  const kernel = optionalInput('kernel-task-definition');

  if (image) parseImageReference(image);
  const given = {
    image: Boolean(image),
    'task-definition-arn': Boolean(taskDefinitionArn),
    'task-definition': Boolean(file),
    'base-task-definition': Boolean(base),
    'container-name': Boolean(containerName),
    environment: environment.size > 0,
    'kernel-task-definition': Boolean(kernel),
  };
  if (scaleToZero) {
    const does = 'stops every task of the service and deploys nothing';
    refuseWith(given, 'scale-to-zero', does, Object.keys(given), 'set either scale-to-zero or what to deploy');
  }
  if (base) {
    refuseWith(
      given,
      'base-task-definition',
      'names the revision to render the image and environment into',
      ['task-definition-arn', 'task-definition'],
      'task-definition-arn deploys an existing revision as-is and task-definition renders a file instead; set only one of the three',
    );
  }
  if (taskDefinitionArn) {
    refuseWith(
      given,
      'task-definition-arn',
      'deploys an existing revision as-is',
      ['image', 'task-definition', 'container-name', 'environment', 'kernel-task-definition'],
      'set either task-definition-arn (a rollback) or the image to render a new revision',
    );
  }
  if (kernel) refuseKernelWithout(image, environment);
  const change: ContainerChange = { image, containerName, environment };
  const rendering: Rendering = { change, ...(kernel && { kernel }) };
  let source: Source;
  if (scaleToZero) source = { kind: 'scale-to-zero' };
  else if (taskDefinitionArn === 'previous') source = { kind: 'previous' };
  else if (taskDefinitionArn) source = { kind: 'revision', reference: taskDefinitionArn };
  else if (file) source = { kind: 'file', path: file, ...rendering };
  else if (base) source = { kind: 'base', reference: base, ...rendering };
  else if (image || environment.size > 0) source = { kind: 'render', ...rendering };
  else {
    throw new ConfigurationError(
      'Nothing to deploy: set "image" (a new image for the running task definition), "task-definition-arn" ' +
        '(an existing revision, or "previous"), "task-definition" (a JSON file), or "environment".',
    );
  }

  const minimumHealthyPercent = integerInput('minimum-healthy-percent', { fallback: 0, min: 0, max: 100 });
  const maximumPercent = integerInput('maximum-percent', { fallback: 100, min: 100 });
  if (minimumHealthyPercent >= maximumPercent) {
    throw new ConfigurationError(
      `minimum-healthy-percent ${minimumHealthyPercent} with maximum-percent ${maximumPercent} leaves ECS no room to ` +
        'replace a task: lower minimum-healthy-percent or raise maximum-percent.',
    );
  }
  const config: DeployConfig = {
    cluster: requiredInput('cluster'),
    service: requiredInput('service'),
    region: optionalInput('aws-region'),
    source,
    minimumHealthyPercent,
    maximumPercent,
    circuitBreaker: booleanInput('circuit-breaker', true),
    wait: booleanInput('wait', true),
    timeoutMs: numberInput('timeout-minutes', 'minutes', { fallback: 15, min: 0.01, max: 360 }) * 60_000,
    pollIntervalMs: numberInput('poll-interval-seconds', 'seconds', { fallback: 10, min: 0.2, max: 300 }) * 1_000,
    allowVersionWithoutImage: booleanInput('allow-version-without-image', false),
    verifyImage: booleanInput('verify-image', true),
  };
  if (image && !image.includes('@sha256:')) {
    io.info(`Image ${image} is a tag, which can move: a digest (repo@sha256:...) pins exactly what runs.`);
  }
  return config;
}

/** The kernel revision gets the server's new image, and the server learns its ARN from deploy-ecs alone. */
function refuseKernelWithout(image: string, environment: ReadonlyMap<string, string>): void {
  if (!image) {
    throw new ConfigurationError(
      'Input "kernel-task-definition" renders the kernel task definition with the image being deployed, so it needs ' +
        '"image": set the image too, or leave kernel-task-definition empty.',
    );
  }
  if (environment.has(KERNEL_VARIABLE)) {
    throw new ConfigurationError(
      `Input "environment" sets ${KERNEL_VARIABLE}, which deploy-ecs sets to the kernel revision it renders from ` +
        '"kernel-task-definition": remove that line.',
    );
  }
}

/** Fails when any of `others` is given along with `input`, which they contradict. */
function refuseWith(given: Record<string, boolean>, input: string, does: string, others: string[], instead: string): void {
  const conflicts = others.filter((other) => given[other]).map((other) => `"${other}"`);
  if (conflicts.length) {
    throw new ConfigurationError(`Input "${input}" ${does}, so it cannot be combined with ${conflicts.join(', ')}: ${instead}.`);
  }
}

/** A positive decimal number (timeouts and intervals may be fractions, e.g. 0.5 minutes). */
function numberInput(name: string, unit: string, { fallback, min, max }: { fallback: number; min: number; max: number }) {
  const value = optionalInput(name);
  if (!value) return fallback;
  const number = /^\d+(\.\d+)?$/.test(value) ? Number(value) : NaN;
  if (!(number >= min && number <= max)) {
    throw new ConfigurationError(`Input "${name}" must be a number of ${unit} from ${min} to ${max}; got "${value}".`);
  }
  return number;
}
