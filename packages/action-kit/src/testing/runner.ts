import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseFileCommand, parseWorkflowCommands, type WorkflowCommand } from './file-commands';

export interface RunOptions {
  /** Action inputs by their action.yml name; passed as INPUT_<NAME> like the runner does. */
  inputs?: Record<string, string>;
  /** Extra environment (AWS endpoint, credentials, GITHUB_SHA...). `undefined` removes a variable. */
  env?: Record<string, string | undefined>;
  /** State saved by an earlier step of the same action (a `post` entry reads it as STATE_<name>). */
  state?: Record<string, string>;
  cwd?: string;
  timeoutMs?: number;
  /** Text written to the action's standard input; none by default, as on a runner. */
  stdin?: string;
  /** Called with the action's process once started, e.g. to send it the runner's cancellation signal. */
  onSpawn?: (child: ChildProcess) => void;
}

export interface RunResult {
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  outputs: Record<string, string>;
  state: Record<string, string>;
  exportedEnv: Record<string, string>;
  addedPath: string[];
  summary: string;
  commands: WorkflowCommand[];
  /** Messages of `::error` annotations, the ones a user sees in the run's overview. */
  errors: string[];
  durationMs: number;
}

/** Variables kept from the parent: enough to find tools, nothing that could leak a developer's AWS setup. */
const INHERITED = ['PATH', 'HOME', 'LANG', 'TMPDIR', 'SYSTEMROOT'];

/** The runner's rule: upper-case, spaces to underscores, hyphens kept. */
export function inputVariable(name: string): string {
  return `INPUT_${name.replace(/ /g, '_').toUpperCase()}`;
}

/** Runs a committed action bundle (`node dist/index.js`) with the environment and files a GitHub runner gives it. */
export async function runActionBundle(entry: string, options: RunOptions = {}): Promise<RunResult> {
  const { inputs = {}, env = {}, state = {}, cwd = process.cwd(), timeoutMs = 120_000, stdin, onSpawn } = options;
  const temp = await mkdtemp(join(tmpdir(), 'runner-'));
  const files = {
    GITHUB_OUTPUT: join(temp, 'output'),
    GITHUB_STATE: join(temp, 'state'),
    GITHUB_ENV: join(temp, 'env'),
    GITHUB_PATH: join(temp, 'path'),
    GITHUB_STEP_SUMMARY: join(temp, 'summary'),
  };
  try {
    await Promise.all(Object.values(files).map((file) => writeFile(file, '')));
    const childEnv: Record<string, string> = {};
    for (const name of INHERITED) if (process.env[name] !== undefined) childEnv[name] = process.env[name] as string;
    Object.assign(childEnv, files, {
      GITHUB_ACTIONS: 'true',
      CI: 'true',
      RUNNER_TEMP: temp,
      RUNNER_OS: 'Linux',
      GITHUB_WORKSPACE: cwd,
    });
    for (const [name, value] of Object.entries(inputs)) childEnv[inputVariable(name)] = value;
    for (const [name, value] of Object.entries(state)) childEnv[`STATE_${name}`] = value;
    for (const [name, value] of Object.entries(env)) {
      if (value === undefined) delete childEnv[name];
      else childEnv[name] = value;
    }

    const started = Date.now();
    const { exitCode, signal, stdout, stderr } = await spawnNode(entry, { cwd, env: childEnv, timeoutMs, stdin, onSpawn });
    const [outputs, savedState, exportedEnv, path, summary] = await Promise.all([
      readFile(files.GITHUB_OUTPUT, 'utf8').then(parseFileCommand),
      readFile(files.GITHUB_STATE, 'utf8').then(parseFileCommand),
      readFile(files.GITHUB_ENV, 'utf8').then(parseFileCommand),
      readFile(files.GITHUB_PATH, 'utf8'),
      readFile(files.GITHUB_STEP_SUMMARY, 'utf8'),
    ]);
    const commands = parseWorkflowCommands(stdout);
    return {
      exitCode,
      signal,
      stdout,
      stderr,
      outputs,
      state: savedState,
      exportedEnv,
      addedPath: path.split('\n').filter(Boolean),
      summary,
      commands,
      errors: commands.filter((command) => command.command === 'error').map((command) => command.message),
      durationMs: Date.now() - started,
    };
  } finally {
    await rm(temp, { recursive: true, force: true });
  }
}

interface SpawnOptions {
  cwd: string;
  env: Record<string, string>;
  timeoutMs: number;
  stdin: string | undefined;
  onSpawn: ((child: ChildProcess) => void) | undefined;
}

function spawnNode(entry: string, { cwd, env, timeoutMs, stdin, onSpawn }: SpawnOptions) {
  return new Promise<{ exitCode: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>(
    (resolve, reject) => {
      const child = spawn(process.execPath, [entry], { cwd, env, stdio: ['pipe', 'pipe', 'pipe'] });
      onSpawn?.(child);
      let stdout = '';
      let stderr = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`${entry} did not finish within ${timeoutMs} ms.\nstdout:\n${stdout}\nstderr:\n${stderr}`));
      }, timeoutMs);
      child.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      child.on('close', (exitCode, signal) => {
        clearTimeout(timer);
        resolve({ exitCode, signal, stdout, stderr });
      });
      child.stdin.end(stdin ?? '');
    },
  );
}
