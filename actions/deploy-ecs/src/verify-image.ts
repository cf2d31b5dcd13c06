import type { ContainerDefinition } from '@aws-sdk/client-ecs';
import { ConfigurationError, type Io } from '@notebook-ship/action-kit';
import type { EcrApi } from './ecr-api';
import { describeEcrImage, ecrImageOf } from './ecr-image';
import { revisionName } from './references';

/**
 * Refuses a revision whose ECR image does not exist, before UpdateService: with minimum healthy 0, ECS stops the
 * running task first, and a task that cannot pull its image leaves the service down. Returns the images verified.
 */
export async function verifyImages(
  containers: ContainerDefinition[],
  targetArn: string,
  ecr: EcrApi,
  io: Io,
): Promise<string[]> {
  const verified: string[] = [];
  const unchecked: string[] = [];
  for (const container of containers) {
    const image = container.image ?? '';
    const ecrImage = image ? ecrImageOrNothing(image) : undefined;
    if (!ecrImage) {
      if (image) unchecked.push(`${container.name} (${image})`);
      continue;
    }
    const found = await ecr.findImage(ecrImage);
    const what = `container "${container.name}" of ${revisionName(targetArn)} names image ${image}`;
    const unchanged = 'The service was not updated: it still runs its old revision.';
    if (found.kind === 'no-image' || found.kind === 'no-repository') {
      const fix =
        found.kind === 'no-repository'
          ? `ECR has no repository "${ecrImage.repositoryName}" in registry ${ecrImage.registryId} (${ecrImage.region}): check the repository name in the image reference.`
          : `ECR has no image ${describeEcrImage(ecrImage)}: push it first, or check the tag or digest (an image expired by a lifecycle policy is gone too).`;
      throw new ConfigurationError(`Refusing to deploy: ${what}, which does not exist. ${fix} ${unchanged} ECR said: ${found.message}`);
    }
    if (found.kind === 'access-denied') {
      throw new ConfigurationError(
        `Cannot verify that ${what} exists: the job's AWS role lacks ecr:DescribeImages on repository ` +
          `"${ecrImage.repositoryName}" (registry ${ecrImage.registryId}, ${ecrImage.region}). Add it to the role's policy, ` +
          `or set verify-image: false to deploy without the check. ${unchanged} ECR said: ${found.message}`,
      );
    }
    verified.push(image);
    io.info(`Image of container "${container.name}" exists in ECR: ${image}.`);
  }
  if (unchecked.length) io.info(`Not in ECR, so not verified: ${unchecked.join(', ')}.`);
  return verified;
}

/** A reference that does not parse is left to ECS, as any other registry's: the check is for ECR's images only. */
function ecrImageOrNothing(image: string) {
  try {
    return ecrImageOf(image);
  } catch {
    return undefined;
  }
}
