import { ConfigurationError, type Io } from '@notebook-ship/action-kit';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { cacheStats, type CacheStats } from './build-log';
import { OWN_BUILDER, driverOf, needsContainerBuilder } from './builder';
import { buildxArgs, ociLabels } from './buildx-args';
import type { DockerCli } from './docker';
import type { EcrApi, Repository } from './ecr-api';
import type { Config } from './inputs';
import { parseBuildMetadata } from './metadata';
import { planImage, type ImagePlan } from './plan';

export interface Dependencies {
  ecr: EcrApi;
  docker: DockerCli;
  io: Io;
  /** Called right after `docker login`, so the post step logs out even when the build then fails. */
  rememberLogin: (registry: string) => void;
  /** Where the build metadata file is written (RUNNER_TEMP on a runner). */
  tempRoot: string;
}

export interface BuildReport {
  durationMs: number;
  /** The builder used: a name, or the current one with its driver. */
  builder: string;
  /** Undefined when the cache was off. */
  cache?: CacheStats & { ref: string };
  buildRef?: string;
}

export interface Outcome {
  repository: Repository;
  registry: string;
  plan: ImagePlan;
  /** Undefined only for a build that was not pushed and reported no digest. */
  digest?: string;
  /** Whether the image is in the registry under `digest` (false for a build without push). */
  inRegistry: boolean;
  /** Requested tags that point at the image after this step. */
  tags: string[];
  build?: BuildReport;
}

export async function buildPushImage(config: Config, deps: Dependencies): Promise<Outcome> {
  const { ecr, io } = deps;
  const repository = await ecr.describeRepository(config.repository.name, config.repository.registryId);
  const registry = repository.uri.slice(0, repository.uri.indexOf('/'));
  io.info(`Repository ${repository.uri} (${repository.tagMutability.toLowerCase()} tags).`);

  const first = config.tags[0] as string;
  const existing = config.skipIfExists ? await ecr.findImage(repository, first) : undefined;
  const plan = planImage(config, existing);
  if (plan.kind === 'reuse') {
    io.info(`Image ${plan.image.digest} is already tagged "${first}": skipping the build.`);
    for (const tag of plan.add) {
      const result = await ecr.addTag(repository, plan.image, tag);
      io.info(result === 'added' ? `Tagged it "${tag}".` : `Tag "${tag}" already pointed at it.`);
    }
    if (plan.withheld.length) io.info(`push is off: not adding tags ${plan.withheld.join(', ')}.`);
    const tags = config.tags.filter((tag) => !plan.withheld.includes(tag));
    return { repository, registry, plan, digest: plan.image.digest, inRegistry: true, tags };
  }

  io.info(`Building: ${plan.reason}.`);
  const { digest, report } = await build(config, repository, registry, deps);
  if (config.push && !digest) {
    throw new Error('buildx pushed the image but its metadata file holds no containerimage.digest to deploy.');
  }
  const tags = config.push ? config.tags : [];
  return { repository, registry, plan, digest, inRegistry: config.push, tags, build: report };
}

async function build(config: Config, repository: Repository, registry: string, deps: Dependencies) {
  const { docker, io } = deps;
  await requirePath(config.context, 'directory', 'context');
  await requirePath(config.dockerfile, 'file', 'dockerfile');
  io.info(await docker.buildxVersion());

  const cacheRef = await cacheReference(config, repository, registry, deps);
  const builder = await selectBuilder(config, cacheRef !== undefined, docker);
  io.info(`Builder: ${builder.description}.`);

  // A build that neither pushes nor reads or writes the registry cache never talks to the registry: no token, no
  // login, nothing for the post step to log out of (so it also runs where no registry API answers, e.g. an emulator).
  if (config.push || cacheRef !== undefined) await logIn(registry, repository, deps);
  else io.info(`Not logging in to ${registry}: the build neither pushes nor uses the registry cache.`);

  const temp = await mkdtemp(join(deps.tempRoot, 'build-push-image-'));
  try {
    const metadataFile = join(temp, 'metadata.json');
    const args = buildxArgs({
      builder: builder.name,
      context: config.context,
      dockerfile: config.dockerfile,
      platforms: config.platforms,
      imageRefs: config.tags.map((tag) => `${repository.uri}:${tag}`),
      buildArgs: config.buildArgs,
      labels: ociLabels(config.source, new Date()),
      provenance: config.provenance,
      cacheRef,
      push: config.push,
      metadataFile,
    });
    const started = performance.now();
    const log = await docker.build(args);
    const durationMs = performance.now() - started;
    const metadataText = await readFile(metadataFile, 'utf8').catch(() => {
      throw new Error(`docker buildx build succeeded but wrote no metadata file at ${metadataFile}.`);
    });
    const metadata = parseBuildMetadata(metadataText);
    const stats = cacheRef ? cacheStats(log) : undefined;
    if (stats?.exportError) io.warning(`The build cache was not saved to ${cacheRef}: ${stats.exportError}`);
    const report: BuildReport = {
      durationMs,
      builder: builder.description,
      cache: stats && cacheRef ? { ...stats, ref: cacheRef } : undefined,
      buildRef: metadata.buildRef,
    };
    return { digest: metadata.digest, report };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

async function logIn(registry: string, repository: Repository, { ecr, docker, io, rememberLogin }: Dependencies) {
  const credentials = await ecr.loginCredentials(repository.registryId);
  io.secret(credentials.token);
  io.secret(credentials.password);
  if (credentials.expiresAt) io.debug(`ECR token expires at ${credentials.expiresAt.toISOString()}.`);
  await docker.login(registry, credentials.username, credentials.password);
  rememberLogin(registry);
}

/** The registry cache reference, or undefined when the cache is off or cannot work. */
async function cacheReference(config: Config, repository: Repository, registry: string, { ecr, io }: Dependencies) {
  if (!config.cache) return undefined;
  const { repository: cacheRepository, tag } = config.cache;
  if (!cacheRepository) {
    if (repository.tagMutability === 'IMMUTABLE') {
      io.warning(
        `${repository.name} has immutable tags, so the cache tag "${tag}" can be written once and never refreshed. ` +
          `Use a separate mutable cache repository ("cache-ref: <repository>:${tag}") or exclude the tag.`,
      );
    }
    return `${repository.uri}:${tag}`;
  }
  try {
    await ecr.describeRepository(cacheRepository, repository.registryId);
  } catch (error) {
    if (!(error instanceof ConfigurationError)) throw error;
    io.warning(
      `Building without the registry cache: the cache repository "${cacheRepository}" does not exist in registry ` +
        `${repository.registryId} (${ecr.region}). Create it, or change "cache-ref".`,
    );
    return undefined;
  }
  return `${registry}/${cacheRepository}:${tag}`;
}

async function selectBuilder(config: Config, cache: boolean, docker: DockerCli) {
  if (config.builder) return { name: config.builder, description: config.builder };
  const current = await docker.currentBuilder();
  if (!needsContainerBuilder(current, { cache, platforms: config.platforms.length })) {
    return { name: undefined, description: `current (${driverOf(current) ?? 'unknown'} driver)` };
  }
  if ((await docker.findBuilder(OWN_BUILDER)) === undefined) await docker.createBuilder(OWN_BUILDER);
  return { name: OWN_BUILDER, description: `${OWN_BUILDER} (docker-container driver)` };
}

async function requirePath(path: string, kind: 'directory' | 'file', input: string): Promise<void> {
  const found = await stat(path).catch(() => undefined);
  const ok = kind === 'directory' ? found?.isDirectory() : found?.isFile();
  if (!ok) {
    throw new ConfigurationError(
      `Input "${input}" names ${path}, which is not a ${kind} in the workspace (${process.cwd()}). ` +
        `Check out the repository first (actions/checkout) or fix the path.`,
    );
  }
}
