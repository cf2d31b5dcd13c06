import { afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { parseWorkflowCommands, runActionBundle } from '@notebook-ship/action-kit/testing';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { NO_DOCKER_REASON, deployStages, emulatorEnvironment } from '../rehearsal/pipeline.mjs';
import { createSupervisor } from '../rehearsal/processes.mjs';

// build-push-image's stand-in for the docker CLI: it records each call and answers like docker 28 with buildx.
const fakeBin = fileURLToPath(new URL('../../actions/build-push-image/test/fixtures/bin', import.meta.url));
const REPOSITORY_URL = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook-ship';

function imageStage(options: { docker?: () => boolean; awsEnv?: Record<string, string> } = {}) {
  const lines: string[] = [];
  const { state, run } = deployStages({
    kit: { runActionBundle, parseWorkflowCommands } as never,
    supervisor: createSupervisor(),
    log: (line) => lines.push(line),
    edgePort: 0,
    version: 'abc123',
    workDir: '/nonexistent',
    docker: options.docker,
  });
  state.outputs = { 'ecr-repository-url': REPOSITORY_URL };
  state.awsEnv = options.awsEnv;
  return { result: run.image(), state, lines };
}

describe('the image stage without a Docker engine', () => {
  it('skips, and the deploy goes on with the tag the image would have', async () => {
    const { result, state, lines } = imageStage({ docker: () => false });
    expect(await result).toEqual({ skipped: 'no Docker engine (`docker info` failed); the task runs the backend from backend/.venv' });
    expect(NO_DOCKER_REASON).toBe((await result as { skipped: string }).skipped);
    expect(state.image).toBe(`${REPOSITORY_URL}:abc123`);
    expect(lines).toEqual([
      `  ┆ uses: ./actions/build-push-image (not run) with repository: ${REPOSITORY_URL}, context: backend`,
      `  ┆ the deploy below uses the image reference ${REPOSITORY_URL}:abc123`,
    ]);
  });
});

describe('the image stage with a Docker engine (the fake docker CLI first on PATH)', () => {
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
    await rm(join(dockerLog, '..'), { recursive: true, force: true });
  });

  const awsEnv = (extra: Record<string, string> = {}) => ({
    ...(moto.current.env as Record<string, string>),
    AWS_REGION: 'us-east-1',
    FAKE_DOCKER_LOG: dockerLog,
    ...extra,
  });
  const dockerCalls = async () =>
    (await readFile(dockerLog, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => (JSON.parse(line) as { argv: string[] }).argv);

  it('runs build-push-image with deploy.yml\'s inputs but push and cache off, building without logging in', async () => {
    // `docker info` answers through the fake: the stage finds the engine the way `npm start` does.
    const { result, state, lines } = imageStage({ awsEnv: awsEnv() });

    expect(await result).toBeUndefined();
    const calls = await dockerCalls();
    expect(calls.map((argv) => argv.slice(0, 2).join(' '))).toEqual([
      'info',
      'buildx version',
      'buildx inspect',
      'buildx build',
    ]);
    const build = calls[3] as string[];
    expect(build.slice(0, 6)).toEqual(['buildx', 'build', '--file', 'backend/Dockerfile', '--platform', 'linux/amd64']);
    expect(build[build.indexOf('--tag') + 1]).toBe(`${REPOSITORY_URL}:abc123`);
    expect(build).not.toContain('--push');
    expect(build).not.toContain('--cache-from');
    expect(build.at(-1)).toBe('backend');
    expect(lines).toContain(
      "  ┆ with deploy.yml's inputs but push: false, cache: false: the emulated ECR cannot receive an image (moto has no\n" +
        '  ┆ registry API for docker login, push or the build cache), so the image is built and not pushed',
    );
    expect(lines).toContain('  ┆ uses: ./actions/build-push-image');
    expect(lines.some((line) => line.includes('Not logging in to 123456789012.dkr.ecr.us-east-1.amazonaws.com'))).toBe(true);
    expect(lines).toContain('  ┆ built, not pushed (image output: "")');
    expect(state.image).toBe(`${REPOSITORY_URL}:abc123`);
  });

  it('fails with the action\'s own error when the build fails', async () => {
    const { result } = imageStage({ awsEnv: awsEnv({ FAKE_DOCKER_FAIL: 'build' }) });
    await expect(result).rejects.toThrow(
      './actions/build-push-image: docker buildx build failed with exit code 1: failed to build: failed to solve: ' +
        'process "/bin/sh -c pip install --no-deps -r requirements.lock" did not complete successfully: exit code: 1',
    );
  });

  it('skips when docker is installed but its engine does not answer', async () => {
    process.env.FAKE_DOCKER_FAIL = 'info';
    try {
      const { result } = imageStage({ awsEnv: awsEnv() });
      expect(await result).toEqual({ skipped: NO_DOCKER_REASON });
      expect(await dockerCalls()).toEqual([['info']]);
    } finally {
      delete process.env.FAKE_DOCKER_FAIL;
    }
  });
});

describe('the AWS environment of the actions and the task', () => {
  it('reaches the emulator, ECS through the scripted fake, and nothing of the developer\'s own AWS set-up', () => {
    const env = emulatorEnvironment({
      moto: { env: { AWS_ENDPOINT_URL: 'http://127.0.0.1:5000', AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing' } },
      fakeEcs: { endpoint: 'http://127.0.0.1:6000' },
      region: 'us-east-1',
      workDir: '/tmp/run',
    });
    expect(env).toEqual({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:5000',
      AWS_ENDPOINT_URL_ECS: 'http://127.0.0.1:6000',
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_CONFIG_FILE: '/tmp/run/no-aws-config',
      AWS_SHARED_CREDENTIALS_FILE: '/tmp/run/no-aws-credentials',
      AWS_EC2_METADATA_DISABLED: 'true',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    });
  });
});
