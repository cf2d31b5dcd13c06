import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  BatchGetImageCommand,
  CreateRepositoryCommand,
  DescribeImagesCommand,
  ECRClient,
  PutImageCommand,
  type ImageTagMutability,
} from '@aws-sdk/client-ecr';
import { runActionBundle, type RunOptions } from '@notebook-ship/action-kit/testing';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

// The committed bundle, run like the runner runs it, against moto's ECR and a fake docker CLI that records every
// call (tests here have no Docker engine; see test/fixtures/bin/docker for what it answers).
const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const fakeBin = fileURLToPath(new URL('fixtures/bin', import.meta.url));
const workspace = fileURLToPath(new URL('fixtures/workspace', import.meta.url));

const ACCOUNT = '123456789012';
const REGISTRY = `${ACCOUNT}.dkr.ecr.us-east-1.amazonaws.com`;
const SHA = 'f1e2d3c4b5a6978877665544332211ffeeddccbb';
const DIGEST = `sha256:${'d'.repeat(64)}`;
const PASSWORD = `${ACCOUNT}-auth-token`; // what moto's GetAuthorizationToken encodes after "AWS:"

const moto = useMoto();

interface DockerCall {
  argv: string[];
  stdin?: string;
}

let dockerLog: string;
let repoCounter = 0;
let repository: string;

beforeEach(async () => {
  dockerLog = join(await mkdtemp(join(tmpdir(), 'fake-docker-')), 'calls.jsonl');
  await writeFile(dockerLog, '');
  repository = `team/notebook-${++repoCounter}`;
});

afterEach(async () => {
  await rm(dirname(dockerLog), { recursive: true, force: true });
});

function ecr(region = 'us-east-1'): ECRClient {
  return new ECRClient({ region });
}

async function createRepository(name = repository, region = 'us-east-1', imageTagMutability: ImageTagMutability = 'MUTABLE') {
  await ecr(region).send(new CreateRepositoryCommand({ repositoryName: name, imageTagMutability }));
}

function warnings(result: { commands: Array<{ command: string; message: string }> }): string[] {
  return result.commands.filter((command) => command.command === 'warning').map((command) => command.message);
}

async function run(inputs: Record<string, string>, options: { env?: RunOptions['env']; state?: Record<string, string> } = {}) {
  return runActionBundle(entry, {
    cwd: workspace,
    inputs,
    state: options.state,
    env: {
      ...moto.current.env,
      PATH: `${fakeBin}${delimiter}${process.env.PATH}`,
      FAKE_DOCKER_LOG: dockerLog,
      FAKE_DOCKER_DIGEST: DIGEST,
      GITHUB_SHA: SHA,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: 'acme/notebook',
      ...options.env,
    },
  });
}

async function dockerCalls(): Promise<DockerCall[]> {
  const text = await readFile(dockerLog, 'utf8');
  return text
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as DockerCall);
}

function buildCall(calls: DockerCall[]): string[] {
  const call = calls.find((c) => c.argv[0] === 'buildx' && c.argv[1] === 'build');
  if (!call) throw new Error(`no buildx build among ${JSON.stringify(calls.map((c) => c.argv.slice(0, 2)))}`);
  return call.argv;
}

/** Seeds an image as a previous run would have pushed it, returning the digest ECR gives it. */
async function seedImage(tag: string): Promise<string> {
  const manifest = JSON.stringify({
    schemaVersion: 2,
    mediaType: 'application/vnd.oci.image.manifest.v1+json',
    config: { mediaType: 'application/vnd.oci.image.config.v1+json', digest: `sha256:${'a'.repeat(64)}`, size: 1469 },
    layers: [{ mediaType: 'application/vnd.oci.image.layer.v1.tar+gzip', digest: `sha256:${'b'.repeat(64)}`, size: 29_000_000 }],
  });
  const put = await ecr().send(
    new PutImageCommand({
      repositoryName: repository,
      imageManifest: manifest,
      imageManifestMediaType: 'application/vnd.oci.image.manifest.v1+json',
      imageTag: tag,
    }),
  );
  return put.image?.imageId?.imageDigest as string;
}

async function tagsOf(digest: string): Promise<string[]> {
  const response = await ecr().send(
    new DescribeImagesCommand({ repositoryName: repository, imageIds: [{ imageDigest: digest }] }),
  );
  return [...(response.imageDetails?.[0]?.imageTags ?? [])].sort();
}

describe('a first build of a commit', () => {
  it('logs in on stdin, builds and pushes with the registry cache, and outputs the digest reference', async () => {
    await createRepository();
    const result = await run({ repository, tags: `${SHA}\nlatest`, 'build-args': 'PYTHON_VERSION=3.11' });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const uri = `${REGISTRY}/${repository}`;
    expect(result.outputs).toEqual({
      image: `${uri}@${DIGEST}`,
      digest: DIGEST,
      tags: `${uri}:${SHA}\n${uri}:latest`,
      registry: REGISTRY,
      skipped: 'false',
    });

    const calls = await dockerCalls();
    expect(calls.map((call) => call.argv.slice(0, 3).join(' '))).toEqual([
      'buildx version',
      'buildx inspect',
      'buildx inspect notebook-ship',
      'buildx create --name',
      'login --username AWS',
      'buildx build --builder',
    ]);
    expect(calls[3]?.argv).toEqual(['buildx', 'create', '--name', 'notebook-ship', '--driver', 'docker-container', '--bootstrap']);

    // The password goes through stdin only, is masked before anything could print it, and never reaches argv.
    const login = calls[4] as DockerCall;
    expect(login.argv).toEqual(['login', '--username', 'AWS', '--password-stdin', REGISTRY]);
    expect(login.stdin).toBe(PASSWORD);
    for (const call of calls) expect(call.argv.join(' ')).not.toContain(PASSWORD);
    const lines = result.stdout.split('\n');
    const mask = lines.indexOf(`::add-mask::${PASSWORD}`);
    expect(mask).toBeGreaterThanOrEqual(0);
    expect(lines).toContain(`::add-mask::${Buffer.from(`AWS:${PASSWORD}`).toString('base64')}`);
    expect(lines.findIndex((line) => line.includes('docker login'))).toBeGreaterThan(mask);

    const args = buildCall(calls);
    const cacheRef = `${uri}:buildcache`;
    expect(args.slice(0, 14)).toEqual([
      'buildx', 'build',
      '--builder', 'notebook-ship',
      '--file', 'backend/Dockerfile',
      '--platform', 'linux/amd64',
      '--tag', `${uri}:${SHA}`,
      '--tag', `${uri}:latest`,
      '--build-arg', 'PYTHON_VERSION=3.11',
    ]);
    expect(args).toContain(`org.opencontainers.image.revision=${SHA}`);
    expect(args).toContain('org.opencontainers.image.source=https://github.com/acme/notebook');
    const created = args.find((arg) => arg.startsWith('org.opencontainers.image.created='));
    expect(Number.isNaN(Date.parse(created?.split('=')[1] ?? ''))).toBe(false);
    expect(args).toContain('--provenance=false');
    expect(args[args.indexOf('--cache-from') + 1]).toBe(`type=registry,ref=${cacheRef}`);
    expect(args[args.indexOf('--cache-to') + 1]).toBe(
      `type=registry,ref=${cacheRef},mode=max,image-manifest=true,oci-mediatypes=true,ignore-error=true`,
    );
    expect(args).toContain('--push');
    expect(args.at(-1)).toBe('backend');

    // The post step needs to know what to log out of.
    expect(result.state).toEqual({ isPost: 'true', registry: REGISTRY });

    expect(result.summary).toContain(`| **Image** | \`${uri}@${DIGEST}\` |`);
    expect(result.summary).toContain('| **Result** | built and pushed |');
    expect(result.summary).toMatch(/\| \*\*Build time\*\* \| \d+(ms|s) \|/);
    expect(result.summary).toContain(`| **Cache** | 3 of 4 build steps from cache; \`${cacheRef}\` imported, saved |`);
    expect(result.summary).toContain('| **Builder** | notebook-ship (docker-container driver) |');
  });

  it('reuses a builder it created before, and uses a container builder set up by the workflow as it is', async () => {
    await createRepository();
    const reused = await run({ repository }, { env: { FAKE_DOCKER_BUILDERS: 'notebook-ship' } });
    expect(reused.exitCode).toBe(0);
    let calls = await dockerCalls();
    expect(calls.some((call) => call.argv[1] === 'create')).toBe(false);
    expect(buildCall(calls).slice(2, 4)).toEqual(['--builder', 'notebook-ship']);

    await writeFile(dockerLog, '');
    const setUp = await run({ repository, 'skip-if-exists': 'false' }, { env: { FAKE_DOCKER_DRIVER: 'docker-container' } });
    expect(setUp.exitCode).toBe(0);
    calls = await dockerCalls();
    expect(calls.map((call) => call.argv.slice(0, 2).join(' '))).not.toContain('buildx create');
    expect(buildCall(calls)).not.toContain('--builder');
    expect(setUp.summary).toContain('| **Builder** | current (docker-container driver) |');

    await writeFile(dockerLog, '');
    const named = await run({ repository, 'skip-if-exists': 'false', builder: 'ci-builder' });
    expect(named.exitCode).toBe(0);
    calls = await dockerCalls();
    expect(calls.map((call) => call.argv.slice(0, 2).join(' '))).toEqual(['buildx version', 'login --username', 'buildx build']);
    expect(buildCall(calls).slice(2, 4)).toEqual(['--builder', 'ci-builder']);
  });

  it('builds on the docker driver without a cache, and reports the cache as off', async () => {
    await createRepository();
    const result = await run({ repository, cache: 'false', provenance: 'true', platform: 'linux/arm64' });
    expect(result.exitCode).toBe(0);
    const args = buildCall(await dockerCalls());
    expect(args).not.toContain('--builder');
    expect(args).not.toContain('--cache-from');
    expect(args).not.toContain('--cache-to');
    expect(args).toContain('--provenance=true');
    expect(args[args.indexOf('--platform') + 1]).toBe('linux/arm64');
    expect(result.summary).toContain('| **Cache** | off |');
  });

  it('finds a full repository URI in another region and keeps the cache in a separate repository', async () => {
    const region = 'eu-west-1';
    await createRepository(repository, region);
    await createRepository('build-cache', region);
    const registry = `${ACCOUNT}.dkr.ecr.${region}.amazonaws.com`;
    const result = await run({ repository: `${registry}/${repository}`, 'cache-ref': 'build-cache:notebook' });
    expect(result.errors).toEqual([]);
    expect(result.outputs.image).toBe(`${registry}/${repository}@${DIGEST}`);
    expect(result.outputs.registry).toBe(registry);
    const calls = await dockerCalls();
    expect(calls.find((call) => call.argv[0] === 'login')?.argv.at(-1)).toBe(registry);
    const args = buildCall(calls);
    expect(args[args.indexOf('--cache-from') + 1]).toBe(`type=registry,ref=${registry}/build-cache:notebook`);
  });

  it('builds without pushing when push is off, outputting no image to deploy', async () => {
    await createRepository();
    const result = await run({ repository, push: 'false' });
    expect(result.exitCode).toBe(0);
    const calls = await dockerCalls();
    // The registry cache is still read and written, so it still logs in.
    expect(calls.map((call) => call.argv.slice(0, 2).join(' '))).toContain('login --username');
    expect(result.state.registry).toBe(REGISTRY);
    expect(buildCall(calls)).not.toContain('--push');
    expect(result.outputs).toEqual({ image: '', digest: '', tags: '', registry: REGISTRY, skipped: 'false' });
    expect(result.summary).toContain('| **Result** | built, not pushed |');
  });

  it('never logs in when it neither pushes nor uses the cache, so the post step has nothing to undo', async () => {
    await createRepository();
    const result = await run({ repository, push: 'false', cache: 'false' });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ image: '', digest: '', tags: '', registry: REGISTRY, skipped: 'false' });
    const calls = await dockerCalls();
    expect(calls.map((call) => call.argv.slice(0, 2).join(' '))).toEqual(['buildx version', 'buildx inspect', 'buildx build']);
    const args = buildCall(calls);
    expect(args).not.toContain('--push');
    expect(args).not.toContain('--cache-from');
    expect(args[args.indexOf('--metadata-file') + 1]).toMatch(/build-push-image-[^/]+\/metadata\.json$/);
    // No ECR token was fetched: nothing was masked, and no registry is left for the post step.
    expect(result.stdout).not.toContain('::add-mask::');
    expect(result.stdout).toContain(`Not logging in to ${REGISTRY}: the build neither pushes nor uses the registry cache.`);
    expect(result.state).toEqual({ isPost: 'true' });
    expect(result.summary).toContain('| **Result** | built, not pushed |');
    expect(result.summary).toContain('| **Cache** | off |');

    await writeFile(dockerLog, '');
    const post = await run({ repository, push: 'false', cache: 'false' }, { state: result.state });
    expect(post.exitCode).toBe(0);
    expect(post.stdout).toContain('Not logged in to a registry: nothing to clean up.');
    expect(await dockerCalls()).toEqual([]);
  });

  it('outputs the digest buildx reports for a build it did not push', async () => {
    await createRepository();
    const result = await run({ repository, push: 'false', cache: 'false' }, { env: { FAKE_DOCKER_METADATA: 'local-digest' } });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toEqual({ image: '', digest: DIGEST, tags: '', registry: REGISTRY, skipped: 'false' });
  });

  it('still logs in, and the post step logs out, when it pushes without the cache', async () => {
    await createRepository();
    const result = await run({ repository, cache: 'false' });
    expect(result.exitCode).toBe(0);
    const calls = await dockerCalls();
    expect(calls.map((call) => call.argv.slice(0, 2).join(' '))).toEqual([
      'buildx version',
      'buildx inspect',
      'login --username',
      'buildx build',
    ]);
    expect(calls[2]?.stdin).toBe(PASSWORD);
    expect(result.stdout.split('\n')).toContain(`::add-mask::${PASSWORD}`);
    expect(result.state).toEqual({ isPost: 'true', registry: REGISTRY });

    await writeFile(dockerLog, '');
    const post = await run({ repository, cache: 'false' }, { state: result.state });
    expect(post.exitCode).toBe(0);
    expect((await dockerCalls()).map((call) => call.argv)).toEqual([['logout', REGISTRY]]);
  });

  it('warns, without failing, when the cache could not be saved', async () => {
    await createRepository();
    const result = await run({ repository }, { env: { FAKE_DOCKER_CACHE: 'export-error' } });
    expect(result.exitCode).toBe(0);
    expect(warnings(result)).toEqual([
      `The build cache was not saved to ${REGISTRY}/${repository}:buildcache: failed to push cache: 403 Forbidden`,
    ]);
    expect(result.summary).toContain('not saved: failed to push cache: 403 Forbidden');
  });

  it('warns when the cache cannot work: a tag in an immutable repository, or a missing cache repository', async () => {
    await createRepository(repository, 'us-east-1', 'IMMUTABLE');
    const immutable = await run({ repository });
    expect(immutable.exitCode).toBe(0);
    expect(warnings(immutable)).toEqual([
      `${repository} has immutable tags, so the cache tag "buildcache" can be written once and never refreshed. ` +
        'Use a separate mutable cache repository ("cache-ref: <repository>:buildcache") or exclude the tag.',
    ]);

    await writeFile(dockerLog, '');
    const missing = await run({ repository, 'cache-ref': 'no-such-cache:main', 'skip-if-exists': 'false' });
    expect(missing.exitCode).toBe(0);
    expect(warnings(missing)).toEqual([
      'Building without the registry cache: the cache repository "no-such-cache" does not exist in registry ' +
        '123456789012 (us-east-1). Create it, or change "cache-ref".',
    ]);
    expect(buildCall(await dockerCalls())).not.toContain('--cache-from');
    expect(missing.summary).toContain('| **Cache** | off |');
  });
});

describe('a re-run for a commit already built', () => {
  it('skips the build without touching docker, adds the missing tags and outputs the existing digest', async () => {
    await createRepository();
    const digest = await seedImage(SHA);
    const result = await run({ repository, tags: `${SHA}\nlatest\nrelease-7` });

    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    const uri = `${REGISTRY}/${repository}`;
    expect(result.outputs).toEqual({
      image: `${uri}@${digest}`,
      digest,
      tags: [SHA, 'latest', 'release-7'].map((tag) => `${uri}:${tag}`).join('\n'),
      registry: REGISTRY,
      skipped: 'true',
    });
    expect(await dockerCalls()).toEqual([]);
    expect(await tagsOf(digest)).toEqual(['latest', 'release-7', SHA].sort());
    // No login, so nothing for the post step to undo.
    expect(result.state).toEqual({ isPost: 'true' });
    expect(result.summary).toContain(`| **Result** | skipped: the image tagged \`${SHA}\` already existed |`);
    expect(result.summary).toContain('| **Tags added** | `latest`, `release-7` |');

    // Once more: every tag is already there, nothing changes, the same digest comes out.
    const again = await run({ repository, tags: `${SHA}\nlatest\nrelease-7` });
    expect(again.outputs.image).toBe(`${uri}@${digest}`);
    expect(again.summary).not.toContain('Tags added');
    const manifest = await ecr().send(
      new BatchGetImageCommand({ repositoryName: repository, imageIds: [{ imageTag: 'latest' }] }),
    );
    expect(manifest.images?.[0]?.imageId?.imageDigest).toBe(digest);
  });

  it('adds no tags when push is off, and builds anyway when skip-if-exists is off', async () => {
    await createRepository();
    const digest = await seedImage(SHA);
    const readOnly = await run({ repository, tags: `${SHA}\nlatest`, push: 'false' });
    expect(readOnly.outputs).toMatchObject({ skipped: 'true', digest, tags: `${REGISTRY}/${repository}:${SHA}` });
    expect(await tagsOf(digest)).toEqual([SHA]);
    expect(readOnly.summary).toContain('| **Tags not added (push off)** | `latest` |');

    const forced = await run({ repository, 'skip-if-exists': 'false' });
    expect(forced.outputs).toMatchObject({ skipped: 'false', digest: DIGEST });
    expect(buildCall(await dockerCalls())).toContain('--push');
  });
});

describe('the post step', () => {
  it('logs out of the registry main logged in to', async () => {
    const result = await run({ repository: 'ignored' }, { state: { isPost: 'true', registry: REGISTRY } });
    expect(result.exitCode).toBe(0);
    expect((await dockerCalls()).map((call) => call.argv)).toEqual([['logout', REGISTRY]]);
  });

  it('does nothing when main never logged in, and only warns when logout fails', async () => {
    const idle = await run({}, { state: { isPost: 'true' } });
    expect(idle.exitCode).toBe(0);
    expect(await dockerCalls()).toEqual([]);

    const failing = await run({}, { state: { isPost: 'true', registry: REGISTRY }, env: { FAKE_DOCKER_FAIL: 'logout' } });
    expect(failing.exitCode).toBe(0);
    expect(failing.errors).toEqual([]);
    expect(warnings(failing)).toEqual([
      `Could not log out of ${REGISTRY}: docker logout ${REGISTRY} failed: exit code 1: ` +
        'Error: could not remove credentials: permission denied',
    ]);
  });
});

describe('failures', () => {
  it('names a missing repository and its region', async () => {
    const result = await run({ repository: 'does-not-exist' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      'ECR repository "does-not-exist" does not exist in the account of these credentials in region us-east-1. ' +
        'Create it (terraform/ declares it), or fix the "repository" input or the region.',
    ]);
    expect(await dockerCalls()).toEqual([]);
  });

  it('reports why the build failed, after logging in (so the post step still logs out)', async () => {
    await createRepository();
    const result = await run({ repository }, { env: { FAKE_DOCKER_FAIL: 'build' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      'docker buildx build failed with exit code 1: `[5/5] RUN pip install --no-deps -r requirements.lock` failed: ' +
        'process "/bin/sh -c pip install --no-deps -r requirements.lock" did not complete successfully: exit code: 1',
    ]);
    expect(result.state.registry).toBe(REGISTRY);
    expect(result.outputs).toEqual({});
  });

  it.each([
    [
      'run-failed',
      '`[builder 4/4] RUN pip install --no-deps -r requirements.lock` (Dockerfile:9) failed',
      'ERROR: No matching distribution found for notebook-engine==9.9.9',
    ],
    ['two-platforms', '`[linux/amd64 2/3] RUN npm ci` (web.Dockerfile:4) failed', 'npm error ERESOLVE could not resolve'],
  ])('puts the root cause of a failed RUN in the annotation (%s)', async (name, step, cause) => {
    await createRepository();
    const log = fileURLToPath(new URL(`fixtures/buildx/${name}.log`, import.meta.url));
    const result = await run({ repository }, { env: { FAKE_DOCKER_BUILD_LOG: log } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toHaveLength(1);
    const [headline, ...rest] = (result.errors[0] as string).split('\n');
    expect(headline).toContain(`docker buildx build failed with exit code 1: ${step}: process "/bin/sh -c`);
    expect(headline).toMatch(/did not complete successfully: exit code: 1$/);
    expect(rest[0]).toBe('Its output:');
    expect(rest).toContain(`  ${cause}`);
  });

  it('explains a failed login and a missing buildx', async () => {
    await createRepository();
    const login = await run({ repository }, { env: { FAKE_DOCKER_FAIL: 'login' } });
    expect(login.errors).toEqual([
      `docker login to ${REGISTRY} failed: exit code 1: Error response from daemon: login attempt to ` +
        `https://${REGISTRY}/v2/ failed with status: 400 Bad Request`,
    ]);
    expect(login.state.registry).toBeUndefined();

    const noBuildx = await run({ repository }, { env: { FAKE_DOCKER_FAIL: 'buildx' } });
    expect(noBuildx.errors).toEqual([
      expect.stringMatching(/^docker buildx is not available \(exit code 1: docker: unknown command: docker buildx/),
    ]);
  });

  it('fails when buildx pushed but reported no digest, rather than output an image it cannot name', async () => {
    await createRepository();
    const result = await run({ repository }, { env: { FAKE_DOCKER_METADATA: 'no-digest' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      'buildx pushed the image but its metadata file holds no containerimage.digest to deploy.',
    ]);
  });

  it('refuses a missing Dockerfile before logging in', async () => {
    await createRepository();
    const result = await run({ repository, dockerfile: 'backend/Dockerfile.prod' });
    expect(result.errors).toEqual([
      `Input "dockerfile" names backend/Dockerfile.prod, which is not a file in the workspace (${workspace}). ` +
        'Check out the repository first (actions/checkout) or fix the path.',
    ]);
    expect(await dockerCalls()).toEqual([]);
  });
});
