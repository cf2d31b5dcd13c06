import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { CreateRepositoryCommand, PutImageCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { FakeEcs, FakeTag } from '@notebook-ship/local-aws';
import { ecrImageOf } from '../src/ecr-image';
import type { DeployReport } from '../src/report';

/** The committed bundle, run the way the runner runs it. */
export const bundle = fileURLToPath(new URL('../dist/index.js', import.meta.url));

export const digest = (char: string) => `123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook@sha256:${char.repeat(64)}`;

/** The notebook's real-shaped DescribeTaskDefinition payload (describe-only fields included, as ECS returns them). */
export function notebookDefinition(): { taskDefinition: Record<string, unknown>; tags: FakeTag[] } {
  return JSON.parse(readFileSync(new URL('fixtures/describe-notebook.json', import.meta.url), 'utf8'));
}

/** Tags RegisterTaskDefinition accepts: ECS refuses keys in the aws: namespace. */
export const registrableTags = (tags: FakeTag[]) => tags.filter((tag) => !tag.key.startsWith('aws:'));

/** Cluster "notebook" with service "notebook" running the fixture's definition, its deployment completed. */
export function seedNotebook(fake: FakeEcs, desiredCount = 1): { runningArn: string } {
  const { taskDefinition, tags } = notebookDefinition();
  const runningArn = fake.registerTaskDefinition(taskDefinition, registrableTags(tags));
  fake.createService({ cluster: 'notebook', service: 'notebook', taskDefinition: runningArn, desiredCount });
  return { runningArn };
}

/** Lines of the step's log that are not workflow commands. */
export const logLines = (stdout: string) => stdout.split('\n').filter((line) => !line.startsWith('::'));

export const arn = (revision: number) => `arn:aws:ecs:us-east-1:123456789012:task-definition/notebook:${revision}`;

/** A finished deploy's report, revision 1 → 2 in us-east-1. */
export function deployReport(overrides: Partial<DeployReport> = {}): DeployReport {
  return {
    region: 'us-east-1',
    cluster: 'prod',
    service: 'notebook',
    previousArn: arn(1),
    targetArn: arn(2),
    registered: true,
    image: 'notebook:1.2.3',
    containerName: 'notebook',
    deploymentId: 'ecs-svc/42',
    state: 'COMPLETED',
    durationMs: 65_000,
    minimumHealthyPercent: 0,
    maximumPercent: 100,
    circuitBreaker: true,
    downtime: true,
    firstDeploy: false,
    scaledToZero: false,
    stoppedTasks: [],
    lastEvents: [],
    ...overrides,
  };
}

/**
 * Puts `image` (an ECR reference) into moto's ECR, creating its repository, so that deploy-ecs's DescribeImages
 * finds it. moto takes the digest it is given (its own would be derived from the layers, not the manifest).
 */
export async function putEcrImage(ecr: ECRClient, image: string): Promise<void> {
  const found = ecrImageOf(image);
  if (!found) throw new Error(`${image} is not an ECR image`);
  const { repositoryName } = found;
  await ecr.send(new CreateRepositoryCommand({ repositoryName })).catch((error: Error) => {
    if (error.name !== 'RepositoryAlreadyExistsException') throw error;
  });
  const digest = 'imageDigest' in found.imageId ? found.imageId.imageDigest : undefined;
  const tag = 'imageTag' in found.imageId ? found.imageId.imageTag : `pinned-${(digest as string).slice(7, 19)}`;
  // A manifest of its own per image: moto takes an identical manifest for the same image under another tag.
  const imageManifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', annotations: { image } });
  await ecr.send(new PutImageCommand({ repositoryName, imageManifest, imageTag: tag, imageDigest: digest }));
}
