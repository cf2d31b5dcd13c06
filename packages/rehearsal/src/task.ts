// The app as ECS runs the service's revision: the image's command (backend/Dockerfile's CMD) from the virtualenv
// instead of the image, with the container's environment, and its secrets read from Secrets Manager as the ECS agent
// reads them, on loopback; healthy once /health answers 200, which is the target group's health check.
import { readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { localTaskRunner, type TaskRunner } from '@notebook-ship/local-aws';
import { repoRoot } from '../../../scripts/lib/repo.mjs';
import { venvBin } from '../../../scripts/lib/setup.mjs';
import type { Service, Supervisor } from './processes';

const backendDir = join(repoRoot, 'backend');
const TASK_INHERITS = ['PATH', 'HOME', 'LANG', 'TMPDIR'];
// ECS reaches the task by the load balancer's name, which the definition's ALLOWED_HOSTS holds; here the local edge
// (which passes the viewer's Host on) reaches it on loopback instead.
const LOOPBACK_HOSTS = ['127.0.0.1', 'localhost'];
// A container's stop timeout is 30 s in ECS; here a kernel task that ignores SIGTERM is killed sooner.
const LOCAL_STOP_TIMEOUT_SECONDS = 5;

/** Where an executable of the image is here: its `python` (or any tool it runs) is backend/.venv's. */
export const imageExecutable = (name: string): string => venvBin(basename(name));

/**
 * What a container sees of this machine: enough to find its tools, and none of the developer's own settings
 * (ACCESS_TOKEN, ALLOWED_ORIGINS, AWS_PROFILE...).
 */
const inheritedEnvironment = (): Record<string, string> =>
  Object.fromEntries(TASK_INHERITS.flatMap((name) => (process.env[name] ? [[name, process.env[name]]] : [])));

/** The container's command from the Dockerfile's exec-form CMD, listening on `host`:`port` instead. */
export function taskCommand(dockerfile: string, { host, port }: { host: string; port: number }): string[] {
  const line = dockerfile.split('\n').findLast((text) => /^CMD\s+\[/.test(text));
  if (!line) throw new Error('backend/Dockerfile has no exec-form CMD ["..."] to run');
  const command = JSON.parse(line.replace(/^CMD\s+/, '')) as string[];
  const replace = (flag: string, value: string | number) => {
    const index = command.indexOf(flag);
    if (index < 0) throw new Error(`backend/Dockerfile's CMD has no ${flag} to point at ${value}`);
    command[index + 1] = String(value);
  };
  replace('--host', host);
  replace('--port', port);
  return command;
}

// The container's environment as the ECS agent gives it: shared with the local ECS, which gives it to RunTask's tasks.
export { containerEnvironment } from '@notebook-ship/local-aws';

/** Reads a secret's current string, as the ECS agent does for `secrets[].valueFrom`. */
export const secretReader = (client: SecretsManagerClient) => async (arn: string) =>
  (await client.send(new GetSecretValueCommand({ SecretId: arn }))).SecretString;

export interface RunningTask extends Service {
  url: string;
  tail: () => string;
}

/**
 * Starts the task and resolves once it is healthy; rejects with the end of its log when it exits or stays
 * unhealthy past the service's health check grace period.
 */
export async function startTask({
  supervisor,
  environment,
  awsEnv,
  port,
  publicUrl,
  onOutput,
  graceSeconds = 60,
}: {
  supervisor: Supervisor;
  /** The container's environment, secrets resolved (containerEnvironment). */
  environment: Record<string, string>;
  awsEnv: Record<string, string>;
  port: number;
  /** Where people open the app here (the local edge), instead of the distribution's https address. */
  publicUrl?: string;
  onOutput?: (chunk: string) => void;
  graceSeconds?: number;
}): Promise<RunningTask> {
  const [executable, ...args] = taskCommand(readFileSync(join(backendDir, 'Dockerfile'), 'utf8'), { host: '127.0.0.1', port });
  if (!executable) throw new Error("backend/Dockerfile's CMD is empty");
  let tail = '';
  const service = supervisor.spawnService(executable, imageExecutable(executable), args, {
    cwd: backendDir,
    env: {
      ...inheritedEnvironment(),
      ...awsEnv,
      ...environment,
      // Unset, the service's default names are the loopback ones already.
      ...(environment.ALLOWED_HOSTS ? { ALLOWED_HOSTS: [environment.ALLOWED_HOSTS, ...LOOPBACK_HOSTS].join(',') } : {}),
      ...(publicUrl && environment.PUBLIC_URL ? { PUBLIC_URL: publicUrl } : {}),
    },
    onOutput: (chunk) => {
      tail = (tail + chunk).slice(-4_000);
      onOutput?.(chunk);
    },
  });
  await service.started;
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + graceSeconds * 1_000;
  let exit: { code: number | null; signal: string | null } | undefined;
  void service.exited.then((status) => (exit = status));
  for (;;) {
    if (exit) throw new Error(`the task exited (${exit.signal ?? `code ${exit.code}`}) before it was healthy:\n${tail}`);
    const healthy = await fetch(`${url}/health`).then(
      (answer) => answer.status === 200,
      () => false,
    );
    if (healthy) return { ...service, url, tail: () => tail };
    if (Date.now() > deadline) {
      await service.stop();
      throw new Error(`the task did not answer ${url}/health with 200 within ${graceSeconds} s:\n${tail}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * What runs the tasks RunTask starts in the local ECS (the notebooks' kernels with `--kernels ecs`): the same image
 * as the app, so the same executables, working directory and inherited environment, plus the local AWS's.
 */
export function imageTaskRunner({
  awsEnv,
  readSecret,
  onOutput,
}: {
  awsEnv: () => Record<string, string>;
  readSecret: (arn: string) => Promise<string | undefined>;
  onOutput?: (chunk: string) => void;
}): TaskRunner {
  return localTaskRunner({
    executable: imageExecutable,
    cwd: backendDir,
    baseEnvironment: () => ({ ...inheritedEnvironment(), ...awsEnv() }),
    readSecret,
    // Each line marked with the task it comes from, as CloudWatch Logs' stream name would tell.
    onOutput: (launch, chunk) => onOutput?.(chunk.replace(/^(?=.)/gm, `[task ${launch.taskArn.slice(-8)} ${launch.container}] `)),
    maxStopTimeoutSeconds: LOCAL_STOP_TIMEOUT_SECONDS,
  });
}
