// The app runs as the ECS task runs the deployed revision: the image's command, the container's environment and
// its secrets as the ECS agent reads them from Secrets Manager.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateClusterCommand, DescribeTasksCommand, ECSClient, RunTaskCommand, type ContainerDefinition } from '@aws-sdk/client-ecs';
import { freePort, startFakeEcs } from '@notebook-ship/local-aws';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { readFileSync } from 'node:fs';
import { chown, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createSupervisor } from '../src/processes';
import { containerEnvironment, imageTaskRunner, secretReader, startTask, taskCommand } from '../src/task';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const dockerfile = readFileSync(fileURLToPath(new URL('../../../backend/Dockerfile', import.meta.url)), 'utf8');
const TOKEN_ARN = 'arn:aws:secretsmanager:us-east-1:1:secret:app/token';

describe('the task of the rehearsal', () => {
  it("runs backend/Dockerfile's CMD, listening on loopback at the port the edge sends /api to", () => {
    expect(taskCommand(dockerfile, { host: '127.0.0.1', port: 41234 })).toEqual([
      'python',
      '-m',
      'app.engine.kernel.launcher',
      '--user',
      '10001:10001',
      'uvicorn',
      'app.main:app',
      '--host',
      '127.0.0.1',
      '--port',
      '41234',
      '--workers',
      '1',
    ]);
  });

  it('says what is missing from a Dockerfile it cannot run', () => {
    expect(() => taskCommand('FROM python:3.11\nCMD uvicorn app.main:app\n', { host: 'h', port: 1 })).toThrow(
      'backend/Dockerfile has no exec-form CMD ["..."] to run',
    );
    expect(() => taskCommand('CMD ["uvicorn", "app.main:app", "--port", "8000"]', { host: 'h', port: 1 })).toThrow(
      "backend/Dockerfile's CMD has no --host to point at h",
    );
  });
});

describe("the container's environment", () => {
  const container: ContainerDefinition = {
    environment: [
      { name: 'APP_VERSION', value: 'abc123' },
      { name: 'NOTEBOOK_BUCKET', value: 'notebooks' },
    ],
    secrets: [{ name: 'ACCESS_TOKEN', valueFrom: TOKEN_ARN }],
  };

  it("gives the container its environment and its secrets' values, as ECS injects them", async () => {
    const read: string[] = [];
    const readSecret = async (arn: string) => (read.push(arn), arn === TOKEN_ARN ? 's3cret' : undefined);
    expect(await containerEnvironment(container, readSecret)).toEqual({
      APP_VERSION: 'abc123',
      NOTEBOOK_BUCKET: 'notebooks',
      ACCESS_TOKEN: 's3cret',
    });
    expect(read).toEqual([TOKEN_ARN]);
  });

  it('does not start without a secret it cannot read, naming the secret and the variable', async () => {
    await expect(containerEnvironment(container, async () => undefined)).rejects.toThrow(
      `the task cannot start: the secret ${TOKEN_ARN} (for ACCESS_TOKEN) has no value`,
    );
    await expect(
      containerEnvironment(container, () => Promise.reject(new Error("Secrets Manager can't find the specified secret."))),
    ).rejects.toThrow(
      `the task cannot start: ECS could not read the secret ${TOKEN_ARN} for ACCESS_TOKEN: Secrets Manager can't find the specified secret.`,
    );
  });

  describe('with its secrets in Secrets Manager', () => {
    const moto = useMoto();
    let client: SecretsManagerClient;
    beforeAll(() => {
      client = new SecretsManagerClient({ endpoint: moto.current.endpoint });
    });

    it('reads the current value of a secret by its ARN, as the ECS agent does', async () => {
      const { ARN } = await client.send(new CreateSecretCommand({ Name: 'app/token', SecretString: 'fr0m-sm' }));
      const environment = await containerEnvironment({ secrets: [{ name: 'ACCESS_TOKEN', valueFrom: ARN }] }, secretReader(client));
      expect(environment).toEqual({ ACCESS_TOKEN: 'fr0m-sm' });
      const missing = `${ARN?.replace(/app\/token-\w+$/, 'app/gone-abcdef')}`;
      await expect(containerEnvironment({ secrets: [{ name: 'ACCESS_TOKEN', valueFrom: missing }] }, secretReader(client))).rejects.toThrow(
        `the task cannot start: ECS could not read the secret ${missing} for ACCESS_TOKEN:`,
      );
    });
  });
});

describe('the running task', () => {
  const supervisor = createSupervisor({ graceMs: 5_000 });
  let notebookDir: string;
  const saved = process.env.ACCESS_TOKEN;
  beforeAll(async () => {
    notebookDir = await mkdtemp(join(tmpdir(), 'rehearsal-task-'));
    // As root, the image's kernel launcher runs the server as 10001: the store is that user's, as in the image.
    if (process.getuid?.() === 0) await chown(notebookDir, 10001, 10001);
    // A developer's own token must not reach the task: its definition sets none here.
    process.env.ACCESS_TOKEN = 'the-developers-own';
  });
  afterAll(async () => {
    if (saved === undefined) delete process.env.ACCESS_TOKEN;
    else process.env.ACCESS_TOKEN = saved;
    await supervisor.stopAll();
    await rm(notebookDir, { recursive: true, force: true });
  });

  it('answers once healthy, with the environment of its definition and nothing of the developer\'s', async () => {
    const port = await freePort();
    let output = '';
    const task = await startTask({
      supervisor,
      environment: { APP_VERSION: 'v-rehearsed', NOTEBOOK_DIR: notebookDir },
      awsEnv: {},
      port,
      onOutput: (chunk) => (output += chunk),
    });
    try {
      expect(task.url).toBe(`http://127.0.0.1:${port}`);
      expect(await (await fetch(`${task.url}/health`)).json()).toMatchObject({ version: 'v-rehearsed' });
      // Open without a token: the developer's ACCESS_TOKEN did not reach it.
      expect((await fetch(`${task.url}/api/notebooks`)).status).toBe(200);
      expect(supervisor.running().map((entry) => entry.name)).toContain('python');
      expect(task.tail()).toBe(output.slice(-4_000));
    } finally {
      await task.stop();
    }
  });

  it('holds /api to the ACCESS_TOKEN its definition gives it', async () => {
    const task = await startTask({
      supervisor,
      environment: { ACCESS_TOKEN: 'from-the-definition', NOTEBOOK_DIR: notebookDir },
      awsEnv: {},
      port: await freePort(),
    });
    try {
      expect((await fetch(`${task.url}/api/notebooks`)).status).toBe(401);
      const headers = { authorization: 'Bearer from-the-definition' };
      expect((await fetch(`${task.url}/api/notebooks`, { headers })).status).toBe(200);
    } finally {
      await task.stop();
    }
  });

  it('is reached on loopback even when its definition names the load balancer as its only host', async () => {
    const task = await startTask({
      supervisor,
      environment: { ALLOWED_HOSTS: 'internal-app.elb.amazonaws.com', NOTEBOOK_DIR: notebookDir },
      awsEnv: {},
      port: await freePort(),
    });
    try {
      expect((await fetch(`${task.url}/api/notebooks`)).status).toBe(200);
      const localhost = task.url.replace('127.0.0.1', 'localhost');
      expect((await fetch(`${localhost}/api/notebooks`)).status).toBe(200);
    } finally {
      await task.stop();
    }
  });

  it('fails with the end of its log when it exits before it is healthy', async () => {
    const started = startTask({ supervisor, environment: { CELL_TIME_LIMIT: '-1', NOTEBOOK_DIR: notebookDir }, awsEnv: {}, port: await freePort() });
    await expect(started).rejects.toThrow(/^the task exited \(code \d+\) before it was healthy:\n[\s\S]*cell_time_limit/);
  });
});

describe('a task the app starts with RunTask (--kernels ecs)', () => {
  it("runs the image's python from backend/.venv, with the local AWS's endpoints and nothing of the developer's", async () => {
    const saved = process.env.ACCESS_TOKEN;
    process.env.ACCESS_TOKEN = 'the-developers-own';
    let output = '';
    const fake = await startFakeEcs({
      taskRunner: imageTaskRunner({
        awsEnv: () => ({ AWS_ENDPOINT_URL: 'http://127.0.0.1:1' }),
        readSecret: async () => undefined,
        onOutput: (chunk) => (output += chunk),
      }),
    });
    try {
      const ecs = new ECSClient({ region: fake.region, endpoint: fake.endpoint, credentials: { accessKeyId: 'a', secretAccessKey: 'b' } });
      await ecs.send(new CreateClusterCommand({ clusterName: 'default' }));
      const script = "import json, os, sys; print(json.dumps([sys.prefix, os.environ.get('AWS_ENDPOINT_URL'), os.environ.get('ACCESS_TOKEN')]))";
      fake.registerTaskDefinition({ family: 'kernel', containerDefinitions: [{ name: 'kernel', image: 'app:1', command: ['python', '-c', script] }] });
      const { tasks } = await ecs.send(new RunTaskCommand({ taskDefinition: 'kernel' }));
      const arn = tasks?.[0]?.taskArn as string;
      const deadline = Date.now() + 20_000;
      let stopped;
      while (!(stopped = (await ecs.send(new DescribeTasksCommand({ tasks: [arn] }))).tasks?.find((task) => task.lastStatus === 'STOPPED'))) {
        if (Date.now() > deadline) throw new Error(`the task did not stop: ${output}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      expect(stopped.containers?.[0]?.exitCode).toBe(0);
      const [line] = output.trim().split('\n');
      expect(line).toMatch(new RegExp(`^\\[task ${arn.slice(-8)} kernel\\] `));
      expect(JSON.parse((line as string).replace(/^\[[^\]]*\] /, ''))).toEqual([join(repoRoot, 'backend', '.venv'), 'http://127.0.0.1:1', null]);
    } finally {
      if (saved === undefined) delete process.env.ACCESS_TOKEN;
      else process.env.ACCESS_TOKEN = saved;
      await fake.stop();
    }
  });
});
