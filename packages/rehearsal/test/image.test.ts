// The image job as npm start plays it: without a Docker engine it is skipped and the deploy goes on with the tag the
// build would push; with one (build-push-image's fake docker CLI first on PATH) the committed bundle runs with
// deploy.yml's inputs but push and cache off.
import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_DOCKER_REASON, dockerEngineAnswers, imageStandIn } from '../src/image';
import type { StandInArgs } from '../src/play';
import { createSupervisor } from '../src/processes';
import { runActionStep } from '../src/steps';

const fakeBin = fileURLToPath(new URL('../../../actions/build-push-image/test/fixtures/bin', import.meta.url));
const REPOSITORY_URL = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook-ship';
const INPUTS = { repository: REPOSITORY_URL, 'cache-ref': 'notebook-ship-cache:buildcache', context: 'backend' };

function play({ docker, env = {} }: { docker: () => boolean; env?: Record<string, string> }) {
  const lines: string[] = [];
  const log = (line: string) => lines.push(line);
  const args = {
    with: INPUTS,
    env: {},
    call: {} as StandInArgs['call'],
    runAction: (overrides: Record<string, string> = {}) =>
      runActionStep({
        action: 'build-push-image',
        inputs: { ...INPUTS, ...overrides },
        env,
        timeoutMinutes: 2,
        supervisor: createSupervisor(),
        print: log,
      }),
  };
  return { result: imageStandIn({ docker, version: 'abc123', log })(args), lines };
}

describe('the image job without a Docker engine', () => {
  it('skips, and the deploy goes on with the tag the image would have', async () => {
    const { result, lines } = play({ docker: () => false });
    expect(await result).toEqual({
      outputs: { image: `${REPOSITORY_URL}:abc123`, digest: '', skipped: 'false' },
      skipped: 'no Docker engine (`docker info` failed); the task runs the backend from backend/.venv',
    });
    expect((await result).skipped).toBe(NO_DOCKER_REASON);
    expect(lines).toEqual([
      `  ┆ uses: ./actions/build-push-image (not run) with repository: ${REPOSITORY_URL}, cache-ref: notebook-ship-cache:buildcache, context: backend`,
      `  ┆ the deploy below uses the image reference ${REPOSITORY_URL}:abc123`,
    ]);
  });
});

describe('the image put into the emulated ECR', () => {
  it('is the reference the deploy gets, so that deploy-ecs finds it there', async () => {
    const published: string[] = [];
    const lines: string[] = [];
    const args = { with: INPUTS, env: {}, call: {} as StandInArgs['call'], runAction: async () => ({}) };
    const publish = async (image: string) => void published.push(image);
    const result = await imageStandIn({ docker: () => false, version: 'abc123', log: (line) => lines.push(line), publish })(args);
    expect(published).toEqual([result.outputs.image]);
    expect(published).toEqual([`${REPOSITORY_URL}:abc123`]);
    expect(lines.at(-1)).toBe(
      `  ┆ ${REPOSITORY_URL}:abc123 put into the emulated ECR as a manifest (PutImage), so deploy-ecs finds the image it deploys`,
    );
  });
});

describe('the image job with a Docker engine (the fake docker CLI first on PATH)', () => {
  const moto = useMoto();
  let dockerLog: string;
  let savedPath: string | undefined;

  beforeAll(async () => {
    await new ECRClient({ region: 'us-east-1' }).send(new CreateRepositoryCommand({ repositoryName: 'notebook-ship' }));
  });

  beforeEach(async () => {
    dockerLog = join(await mkdtemp(join(tmpdir(), 'fake-docker-')), 'calls.jsonl');
    await writeFile(dockerLog, '');
    savedPath = process.env.PATH;
    process.env.PATH = `${fakeBin}${delimiter}${savedPath}`;
    process.env.FAKE_DOCKER_LOG = dockerLog;
  });

  afterEach(async () => {
    process.env.PATH = savedPath;
    delete process.env.FAKE_DOCKER_LOG;
    delete process.env.FAKE_DOCKER_FAIL;
    await rm(join(dockerLog, '..'), { recursive: true, force: true });
  });

  const env = (extra: Record<string, string> = {}) => ({
    ...(moto.current.env as Record<string, string>),
    AWS_REGION: 'us-east-1',
    GITHUB_SHA: 'abc123',
    PATH: process.env.PATH as string,
    FAKE_DOCKER_LOG: dockerLog,
    ...extra,
  });
  const dockerCalls = async () =>
    (await readFile(dockerLog, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { argv: string[] }).argv);

  it("runs build-push-image with deploy.yml's inputs but push and cache off, building without logging in", async () => {
    // `docker info` answers through the fake: the job finds the engine the way npm start does.
    const { result, lines } = play({ docker: dockerEngineAnswers, env: env() });
    expect((await result).outputs.image).toBe(`${REPOSITORY_URL}:abc123`);
    expect((await result).skipped).toBeUndefined();
    const calls = await dockerCalls();
    expect(calls.map((argv) => argv.slice(0, 2).join(' '))).toEqual(['info', 'buildx version', 'buildx inspect', 'buildx build']);
    const build = calls[3] as string[];
    expect(build.slice(0, 6)).toEqual(['buildx', 'build', '--file', 'backend/Dockerfile', '--platform', 'linux/amd64']);
    expect(build[build.indexOf('--tag') + 1]).toBe(`${REPOSITORY_URL}:abc123`);
    expect(build).not.toContain('--push');
    expect(build).not.toContain('--cache-from');
    expect(build.at(-1)).toBe('backend');
    expect(lines).toContain("  ┆ with deploy.yml's inputs but push: false, cache: false: the emulated ECR cannot receive an image (moto has no");
    expect(lines).toContain('  ┆ uses: ./actions/build-push-image');
    expect(lines.some((line) => line.includes('Not logging in to 123456789012.dkr.ecr.us-east-1.amazonaws.com'))).toBe(true);
    expect(lines).toContain(`  ┆ built, not pushed; the deploy below uses ${REPOSITORY_URL}:abc123`);
  });

  it("fails with the action's own error when the build fails", async () => {
    const { result } = play({ docker: dockerEngineAnswers, env: env({ FAKE_DOCKER_FAIL: 'build' }) });
    await expect(result).rejects.toThrow(
      './actions/build-push-image: docker buildx build failed with exit code 1: `[5/5] RUN pip install --no-deps -r requirements.lock` ' +
        'failed: process "/bin/sh -c pip install --no-deps -r requirements.lock" did not complete successfully: exit code: 1',
    );
  });

  it('skips when docker is installed but its engine does not answer', async () => {
    process.env.FAKE_DOCKER_FAIL = 'info';
    const { result } = play({ docker: dockerEngineAnswers, env: env() });
    expect((await result).skipped).toBe(NO_DOCKER_REASON);
    expect(await dockerCalls()).toEqual([['info']]);
  });
});
