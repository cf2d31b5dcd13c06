// The app as ECS runs the deployed revision: the image's command (backend/Dockerfile's CMD) from the virtualenv
// instead of the image, with the container's environment and secrets from the task definition, on loopback, and
// healthy once /health answers 200, which is the target group's health check.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DescribeTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { repoRoot } from '../lib/repo.mjs';
import { venvBin } from '../lib/setup.mjs';

const backendDir = join(repoRoot, 'backend');
const TASK_INHERITS = ['PATH', 'HOME', 'LANG', 'TMPDIR'];

/** The container's command from the Dockerfile's exec-form CMD, listening on `host`:`port` instead. */
export function taskCommand(dockerfile, { host, port }) {
  const line = dockerfile.split('\n').findLast((text) => /^CMD\s+\[/.test(text));
  if (!line) throw new Error('backend/Dockerfile has no exec-form CMD ["..."] to run');
  const command = JSON.parse(line.replace(/^CMD\s+/, ''));
  const replace = (flag, value) => {
    const index = command.indexOf(flag);
    if (index < 0) throw new Error(`backend/Dockerfile's CMD has no ${flag} to point at ${value}`);
    command[index + 1] = String(value);
  };
  replace('--host', host);
  replace('--port', port);
  return command;
}

/** The environment ECS gives the container: its `environment`, and each of its `secrets` resolved. */
export function containerEnvironment(container, secrets) {
  const env = {};
  for (const { name, value } of container.environment ?? []) env[name] = value;
  for (const { name, valueFrom } of container.secrets ?? []) {
    if (secrets[valueFrom] === undefined) {
      throw new Error(`the task cannot start: the secret ${valueFrom} (for ${name}) does not exist`);
    }
    env[name] = secrets[valueFrom];
  }
  return env;
}

export async function describeContainer(ecs, taskDefinitionArn, containerName) {
  const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: taskDefinitionArn }));
  const container = taskDefinition.containerDefinitions.find((candidate) => candidate.name === containerName);
  if (!container) throw new Error(`${taskDefinitionArn} has no container named "${containerName}"`);
  return container;
}

/**
 * Starts the task and resolves once it is healthy; rejects with the end of its log when it exits or stays
 * unhealthy past the service's health check grace period.
 */
export async function startTask({ supervisor, container, secrets, awsEnv, port, onOutput, graceSeconds = 60 }) {
  const [executable, ...args] = taskCommand(readFileSync(join(backendDir, 'Dockerfile'), 'utf8'), { host: '127.0.0.1', port });
  // Like a container, the task sees only what its definition sets (and enough to find its tools): none of the
  // developer's own settings (ACCESS_TOKEN, ALLOWED_ORIGINS, AWS_PROFILE...) leak in.
  const inherited = Object.fromEntries(TASK_INHERITS.filter((name) => process.env[name]).map((name) => [name, process.env[name]]));
  let tail = '';
  const service = supervisor.spawnService(executable, venvBin(executable), args, {
    cwd: backendDir,
    env: { ...inherited, ...awsEnv, ...containerEnvironment(container, secrets) },
    onOutput: (chunk) => {
      tail = (tail + chunk).slice(-4_000);
      onOutput?.(chunk);
    },
  });
  await service.started;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + graceSeconds * 1_000;
  let exit;
  service.exited.then((status) => (exit = status));
  for (;;) {
    if (exit) throw new Error(`the task exited (${exit.signal ?? `code ${exit.code}`}) before it was healthy:\n${tail}`);
    const healthy = await fetch(`${url}/health`).then((answer) => answer.status === 200, () => false);
    if (healthy) return { ...service, url, tail: () => tail };
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`the task did not answer ${url}/health with 200 within ${graceSeconds} s:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
