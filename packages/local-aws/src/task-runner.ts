import { spawn } from 'node:child_process';
import { constants } from 'node:os';

// What runs a task's containers for the local ECS: each container as a local process, in its own process group
// (its "container": a stop signals the main process, a kill ends the whole group), with the command resolved the
// way the caller's image would resolve it. The local ECS works without one (tasks are then only modelled), so
// Terraform and deploy tests against it never start processes.

export interface ContainerLaunch {
  taskArn: string;
  container: string;
  /** The container's entryPoint followed by its command (the override's, if any). */
  command: string[];
  /** Everything the process sees: nothing of this process's own environment is added. */
  environment: Record<string, string>;
}

export interface ContainerExit {
  /** As Docker reports it: the process's code, or 128 + the signal's number when a signal ended it. */
  exitCode: number;
  signal?: NodeJS.Signals;
}

export interface ContainerProcess {
  pid: number;
  exited: Promise<ContainerExit>;
  /** As `docker stop`: SIGTERM to the main process, SIGKILL to every process of the container after `graceMs`. */
  stop(graceMs: number): Promise<ContainerExit>;
}

export interface TaskRunner {
  /** Reads a container's `secrets[].valueFrom`, as the ECS agent does with the task's execution role. */
  readSecret(valueFrom: string): Promise<string | undefined>;
  /** Resolves once the process runs; rejects (with what to fix) when it cannot start. */
  start(launch: ContainerLaunch): Promise<ContainerProcess>;
  /** The longest a stop waits before SIGKILL (ECS: the container's stopTimeout, 30 s by default). */
  maxStopTimeoutSeconds?: number;
}

export interface LocalTaskRunnerOptions {
  /** Where the image's executable (`python`, `node`...) is on this machine; by default, as named, from PATH. */
  executable?: (name: string) => string;
  /** The image's working directory, here. */
  cwd?: string;
  /**
   * What every container starts with, below what ECS sets (PATH, HOME: what the image would provide); a function
   * when it is known only once the local AWS runs (its endpoint variables).
   */
  baseEnvironment?: Record<string, string> | (() => Record<string, string>);
  readSecret?: (valueFrom: string) => Promise<string | undefined>;
  onOutput?: (launch: ContainerLaunch, chunk: string) => void;
  maxStopTimeoutSeconds?: number;
}

const killQuietly = (pid: number, signal: NodeJS.Signals) => {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
};

export function localTaskRunner(options: LocalTaskRunnerOptions = {}): TaskRunner {
  const { executable = (name: string) => name, cwd, baseEnvironment = {}, onOutput } = options;
  return {
    maxStopTimeoutSeconds: options.maxStopTimeoutSeconds,
    readSecret:
      options.readSecret ??
      (async (valueFrom) => {
        throw new Error(`this local ECS was given no way to read secrets (${valueFrom})`);
      }),
    start(launch) {
      const [name, ...args] = launch.command;
      if (!name) return Promise.reject(new Error(`the container ${launch.container} has no command to run`));
      const child = spawn(executable(name), args, {
        cwd,
        env: { ...(typeof baseEnvironment === 'function' ? baseEnvironment() : baseEnvironment), ...launch.environment },
        detached: true,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => onOutput?.(launch, chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => onOutput?.(launch, chunk));
      return new Promise<ContainerProcess>((resolve, reject) => {
        child.once('error', (error) => reject(new Error(`${executable(name)} could not start: ${error.message}`)));
        child.once('spawn', () => {
          const pid = child.pid as number;
          const exited = new Promise<ContainerExit>((done) => {
            child.once('exit', (code, signal) => {
              // The container ends with its main process: whatever it left in its group goes with it.
              killQuietly(-pid, 'SIGKILL');
              done(signal ? { exitCode: 128 + (constants.signals[signal] ?? 0), signal } : { exitCode: code ?? 0 });
            });
          });
          const stop = async (graceMs: number) => {
            if (child.exitCode === null && child.signalCode === null) killQuietly(pid, 'SIGTERM');
            const timer = setTimeout(() => killQuietly(-pid, 'SIGKILL'), graceMs);
            const exit = await exited;
            clearTimeout(timer);
            return exit;
          };
          resolve({ pid, exited, stop });
        });
      });
    },
  };
}
