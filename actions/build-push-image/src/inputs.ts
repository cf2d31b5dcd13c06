import {
  ConfigurationError,
  booleanInput,
  keyValueInput,
  listInput,
  optionalInput,
  requiredInput,
} from '@notebook-ship/action-kit';
import { join } from 'node:path';
import {
  parseCacheRef,
  parseRepository,
  validatePlatforms,
  validateTags,
  type CacheLocation,
  type RepositoryInput,
} from './references';

export interface SourceInfo {
  /** The commit built (GITHUB_SHA). */
  revision?: string;
  /** The repository page (GITHUB_SERVER_URL/GITHUB_REPOSITORY). */
  url?: string;
}

export interface Config {
  repository: RepositoryInput;
  region?: string;
  context: string;
  dockerfile: string;
  /** Unique, first one decides `skip-if-exists`. */
  tags: string[];
  buildArgs: Map<string, string>;
  platforms: string[];
  /** Undefined when the cache is off. */
  cache?: CacheLocation;
  skipIfExists: boolean;
  push: boolean;
  provenance: boolean;
  builder?: string;
  source: SourceInfo;
}

// Tags that move from build to build: deciding "already built" on one of them would skip real changes.
const MOVING_TAGS = new Set(['latest', 'main', 'master', 'stable', 'edge']);

export function readConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const repository = parseRepository(requiredInput('repository'));
  const region = optionalInput('aws-region') || undefined;
  if (region && repository.region && region !== repository.region) {
    throw new ConfigurationError(
      `Input "aws-region" is ${region} but the repository URI is in ${repository.region}: drop one of them.`,
    );
  }
  const context = optionalInput('context', 'backend');
  const skipIfExists = booleanInput('skip-if-exists', true);
  const tags = validateTags(listInput('tags', { commas: true }));
  if (tags.length === 0) {
    if (!env.GITHUB_SHA) {
      throw new ConfigurationError('Input "tags" is empty and GITHUB_SHA is not set: name at least one tag.');
    }
    tags.push(env.GITHUB_SHA);
  }
  const first = tags[0] as string;
  if (skipIfExists && MOVING_TAGS.has(first.toLowerCase())) {
    throw new ConfigurationError(
      `The first tag "${first}" moves with every build, so "skip-if-exists" would skip real changes: put the ` +
        `commit SHA first (e.g. \${{ github.sha }}), or set skip-if-exists: false.`,
    );
  }
  const cacheOn = booleanInput('cache', true);
  const cache = cacheOn ? parseCacheRef(optionalInput('cache-ref', 'buildcache')) : undefined;
  if (cache && !cache.repository && tags.includes(cache.tag)) {
    throw new ConfigurationError(
      `The cache tag "${cache.tag}" is also an image tag: the cache would overwrite the image. Change "cache-ref".`,
    );
  }
  return {
    repository,
    region: region ?? repository.region,
    context,
    dockerfile: optionalInput('dockerfile', join(context, 'Dockerfile')),
    tags,
    buildArgs: keyValueInput('build-args'),
    platforms: validatePlatforms(listInput('platform', { commas: true })),
    cache,
    skipIfExists,
    push: booleanInput('push', true),
    provenance: booleanInput('provenance', false),
    builder: optionalInput('builder') || undefined,
    source: {
      revision: env.GITHUB_SHA || undefined,
      url: env.GITHUB_REPOSITORY ? `${env.GITHUB_SERVER_URL || 'https://github.com'}/${env.GITHUB_REPOSITORY}` : undefined,
    },
  };
}
