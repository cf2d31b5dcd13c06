import { ConfigurationError } from '@notebook-ship/action-kit';

// Names as ECR and the OCI distribution spec accept them, checked before any call so the message names the input.
const REPOSITORY_NAME = /^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const TAG = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;
const PLATFORM = /^[a-z0-9]+\/[a-z0-9_]+(?:\/[a-z0-9]+)?$/;
const ECR_HOST = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

export interface RepositoryInput {
  name: string;
  /** Set when the input was a full URI: the registry it names. */
  registryId?: string;
  region?: string;
}

export function parseRepository(value: string): RepositoryInput {
  if (value.includes('@') || /:[^/]*$/.test(value)) {
    throw new ConfigurationError(
      `Input "repository" must not carry a tag or digest; got "${value}". Put tags in the "tags" input.`,
    );
  }
  const slash = value.indexOf('/');
  const host = slash > 0 ? value.slice(0, slash) : '';
  if (host.includes('.')) {
    const match = ECR_HOST.exec(host);
    if (!match) {
      throw new ConfigurationError(
        `Input "repository" must be an ECR repository name or URI like ` +
          `123456789012.dkr.ecr.eu-west-1.amazonaws.com/notebook; got "${value}" (registry "${host}" is not ECR).`,
      );
    }
    return { name: repositoryName(value.slice(slash + 1), 'repository'), registryId: match[1], region: match[2] };
  }
  return { name: repositoryName(value, 'repository') };
}

function repositoryName(name: string, input: string): string {
  if (name.length < 2 || name.length > 256 || !REPOSITORY_NAME.test(name)) {
    throw new ConfigurationError(
      `Input "${input}" must name an ECR repository (2 to 256 lower-case letters, digits, and . _ - / between ` +
        `them); got "${name}".`,
    );
  }
  return name;
}

export function validateTags(tags: readonly string[]): string[] {
  for (const tag of tags) {
    if (!TAG.test(tag)) {
      throw new ConfigurationError(
        `Input "tags" holds an invalid tag "${tag}": up to 128 letters, digits, _ . and -, not starting with . or -.`,
      );
    }
  }
  return [...new Set(tags)];
}

/** An empty list means the default, linux/amd64 (what Fargate runs unless told otherwise). */
export function validatePlatforms(platforms: readonly string[]): string[] {
  if (platforms.length === 0) return ['linux/amd64'];
  for (const platform of platforms) {
    if (!PLATFORM.test(platform)) {
      throw new ConfigurationError(
        `Input "platform" must list platforms like linux/amd64 or linux/arm64/v8; got "${platform}".`,
      );
    }
  }
  return [...new Set(platforms)];
}

export interface CacheLocation {
  /** The cache repository, when it is not the image repository. */
  repository?: string;
  tag: string;
}

/** `buildcache` (a tag of the image repository) or `<repository>:<tag>` in the same registry. */
export function parseCacheRef(value: string): CacheLocation {
  const colon = value.lastIndexOf(':');
  const tag = colon >= 0 ? value.slice(colon + 1) : value;
  if (!TAG.test(tag)) {
    throw new ConfigurationError(
      `Input "cache-ref" must be a tag like "buildcache" or "<repository>:<tag>"; got "${value}".`,
    );
  }
  if (colon < 0) return { tag };
  return { repository: repositoryName(value.slice(0, colon), 'cache-ref'), tag };
}
