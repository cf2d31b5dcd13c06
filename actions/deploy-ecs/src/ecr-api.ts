import { DescribeImagesCommand, type ECRClient } from '@aws-sdk/client-ecr';
import type { EcrImage } from './ecr-image';

/** What ECR said about one image; errors other than these (throttling and 5xx after the SDK's retries) are thrown. */
export type ImageLookup =
  | { kind: 'found' }
  | { kind: 'no-image' | 'no-repository' | 'access-denied'; message: string };

/** The ECR call of a deploy: whether an image exists. */
export interface EcrApi {
  findImage(image: EcrImage): Promise<ImageLookup>;
}

/** `clientFor(region)`: an image is looked up in the region its registry host names (pulls may cross regions). */
export function createEcrApi(clientFor: (region: string) => ECRClient): EcrApi {
  const clients = new Map<string, ECRClient>();
  const client = (region: string): ECRClient => {
    const known = clients.get(region);
    if (known) return known;
    const created = clientFor(region);
    clients.set(region, created);
    return created;
  };
  return {
    async findImage({ registryId, region, repositoryName, imageId }) {
      try {
        await client(region).send(new DescribeImagesCommand({ registryId, repositoryName, imageIds: [imageId] }));
        return { kind: 'found' };
      } catch (error) {
        if (!(error instanceof Error)) throw error;
        const kind = lookupKind(error.name);
        if (!kind) throw error;
        return { kind, message: error.message };
      }
    },
  };
}

function lookupKind(name: string): Exclude<ImageLookup['kind'], 'found'> | undefined {
  if (name === 'ImageNotFoundException') return 'no-image';
  if (name === 'RepositoryNotFoundException') return 'no-repository';
  if (name === 'AccessDeniedException' || name === 'AccessDenied') return 'access-denied';
  return undefined;
}
