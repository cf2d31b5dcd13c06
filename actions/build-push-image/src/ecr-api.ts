import {
  BatchGetImageCommand,
  DescribeImagesCommand,
  DescribeRepositoriesCommand,
  GetAuthorizationTokenCommand,
  PutImageCommand,
  type ECRClient,
} from '@aws-sdk/client-ecr';
import { ConfigurationError } from '@notebook-ship/action-kit';

export interface Repository {
  registryId: string;
  name: string;
  /** `<registry host>/<name>`, as ECR reports it. */
  uri: string;
  /** MUTABLE, IMMUTABLE, or one of the *_WITH_EXCLUSION variants. */
  tagMutability: string;
}

export interface ExistingImage {
  digest: string;
  manifest: string;
  mediaType: string;
  /** Every tag that points at this image now. */
  tags: string[];
}

export interface LoginCredentials {
  /** The token as ECR returned it (base64 of `username:password`), to mask as well. */
  token: string;
  username: string;
  password: string;
  expiresAt?: Date;
}

/** What the action needs from ECR, so planning and tests do not depend on the SDK. */
export interface EcrApi {
  readonly region: string;
  describeRepository(name: string, registryId?: string): Promise<Repository>;
  /** The image a tag points at, or undefined when the tag is not in the repository. */
  findImage(repository: Repository, tag: string): Promise<ExistingImage | undefined>;
  /** Points `tag` at the image: `added`, or `present` when it already pointed there. */
  addTag(repository: Repository, image: ExistingImage, tag: string): Promise<'added' | 'present'>;
  loginCredentials(registryId: string): Promise<LoginCredentials>;
}

// Every manifest kind buildx pushes, so ECR returns the stored manifest as it is and never converts it:
// re-putting the exact bytes is what keeps the digest.
const MANIFEST_TYPES = [
  'application/vnd.oci.image.manifest.v1+json',
  'application/vnd.oci.image.index.v1+json',
  'application/vnd.docker.distribution.manifest.v2+json',
  'application/vnd.docker.distribution.manifest.list.v2+json',
];

const MISSING_IMAGE_CODES = new Set(['ImageNotFound', 'ImageTagDoesNotMatchDigest']);

export function createEcrApi(client: ECRClient, region: string): EcrApi {
  return {
    region,

    async describeRepository(name, registryId) {
      try {
        const response = await client.send(new DescribeRepositoriesCommand({ repositoryNames: [name], registryId }));
        const found = response.repositories?.[0];
        if (!found?.repositoryUri || !found.registryId) throw missingRepository(name, registryId, region);
        return {
          registryId: found.registryId,
          name,
          uri: found.repositoryUri,
          tagMutability: found.imageTagMutability ?? 'MUTABLE',
        };
      } catch (error) {
        if (errorName(error) === 'RepositoryNotFoundException') throw missingRepository(name, registryId, region);
        throw error;
      }
    },

    async findImage(repository, tag) {
      const response = await client.send(
        new BatchGetImageCommand({
          registryId: repository.registryId,
          repositoryName: repository.name,
          imageIds: [{ imageTag: tag }],
          acceptedMediaTypes: MANIFEST_TYPES,
        }),
      );
      const failure = response.failures?.[0];
      if (failure) {
        if (MISSING_IMAGE_CODES.has(failure.failureCode ?? '')) return undefined;
        throw new Error(`ECR could not read image "${tag}" of ${repository.name}: ${failure.failureCode} ${failure.failureReason ?? ''}`.trim());
      }
      const image = response.images?.[0];
      const digest = image?.imageId?.imageDigest;
      if (!image?.imageManifest || !digest) return undefined;
      const details = await client.send(
        new DescribeImagesCommand({
          registryId: repository.registryId,
          repositoryName: repository.name,
          imageIds: [{ imageDigest: digest }],
        }),
      );
      return {
        digest,
        manifest: image.imageManifest,
        mediaType: image.imageManifestMediaType ?? mediaTypeOf(image.imageManifest),
        tags: details.imageDetails?.[0]?.imageTags ?? [tag],
      };
    },

    async addTag(repository, image, tag) {
      try {
        await client.send(
          new PutImageCommand({
            registryId: repository.registryId,
            repositoryName: repository.name,
            imageManifest: image.manifest,
            imageManifestMediaType: image.mediaType,
            imageDigest: image.digest,
            imageTag: tag,
          }),
        );
        return 'added';
      } catch (error) {
        // The tag already points at this very manifest (a concurrent run, or a stale tag list): nothing to do.
        if (errorName(error) === 'ImageAlreadyExistsException') return 'present';
        if (errorName(error) === 'ImageTagAlreadyExistsException') {
          throw new ConfigurationError(
            `Tag "${tag}" already points at another image in ${repository.name}, whose tags are immutable ` +
              `(${repository.tagMutability}): ECR will not move it. Remove "${tag}" from "tags", or exclude it ` +
              `from tag immutability.`,
          );
        }
        throw error;
      }
    },

    async loginCredentials(registryId) {
      const response = await client.send(new GetAuthorizationTokenCommand({}));
      const data = response.authorizationData?.[0];
      if (!data?.authorizationToken) throw new Error(`ECR returned no authorization token for registry ${registryId}.`);
      return { token: data.authorizationToken, ...decodeToken(data.authorizationToken), expiresAt: data.expiresAt };
    },
  };
}

/** An ECR token is base64 of `user:password` (the user is always AWS). */
export function decodeToken(token: string): { username: string; password: string } {
  const decoded = Buffer.from(token, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon <= 0 || colon === decoded.length - 1) {
    throw new Error('ECR returned an authorization token that is not base64 of "user:password".');
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function mediaTypeOf(manifest: string): string {
  const parsed = JSON.parse(manifest) as { mediaType?: string };
  if (!parsed.mediaType) throw new Error('ECR returned a manifest without a media type.');
  return parsed.mediaType;
}

function missingRepository(name: string, registryId: string | undefined, region: string): ConfigurationError {
  const registry = registryId ? `registry ${registryId}` : 'the account of these credentials';
  return new ConfigurationError(
    `ECR repository "${name}" does not exist in ${registry} in region ${region}. Create it (terraform/ declares ` +
      `it), or fix the "repository" input or the region.`,
  );
}

function errorName(error: unknown): string | undefined {
  return error instanceof Error ? error.name : undefined;
}
