import { parseImageReference } from './image-reference';

// ECR's registry host names the account and the region it lives in; China regions end in .com.cn and FIPS
// endpoints read dkr.ecr-fips. Any other host (ghcr.io, Docker Hub) is a registry deploy-ecs cannot ask.
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** An image in ECR, as DescribeImages asks for it. */
export interface EcrImage {
  registryId: string;
  region: string;
  repositoryName: string;
  /** A digest when the reference pins one (it wins over a tag, as for a pull), else the tag ("latest" by default). */
  imageId: { imageDigest: string } | { imageTag: string };
}

/** The ECR image `image` names, or undefined for an image in another registry. Throws on a malformed reference. */
export function ecrImageOf(image: string): EcrImage | undefined {
  const { registry, repository, tag, digest } = parseImageReference(image);
  const host = ECR_HOST.exec(registry);
  if (!host) return undefined;
  return {
    registryId: host[1] as string,
    region: host[2] as string,
    repositoryName: repository,
    imageId: digest ? { imageDigest: digest } : { imageTag: tag || 'latest' },
  };
}

/** How a log line names the image asked for: the repository and its tag or digest. */
export function describeEcrImage({ registryId, region, repositoryName, imageId }: EcrImage): string {
  const id = 'imageDigest' in imageId ? `@${imageId.imageDigest}` : `:${imageId.imageTag}`;
  return `${repositoryName}${id} (registry ${registryId}, ${region})`;
}
