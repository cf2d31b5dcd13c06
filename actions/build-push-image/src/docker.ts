import { exec, getExecOutput } from '@actions/exec';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { describeBuildFailure } from './build-failure';

/** The docker CLI calls the action makes; the only place that runs docker. */
export interface DockerCli {
  /** `docker buildx version`; throws a ConfigurationError when docker or buildx is missing. */
  buildxVersion(): Promise<string>;
  /** `docker buildx inspect` of the builder buildx uses by default. */
  currentBuilder(): Promise<string>;
  /** `docker buildx inspect <name>`; undefined when no builder has that name. */
  findBuilder(name: string): Promise<string | undefined>;
  createBuilder(name: string): Promise<void>;
  /** `docker login --password-stdin`: the password never appears on a command line. */
  login(registry: string, username: string, password: string): Promise<void>;
  logout(registry: string): Promise<void>;
  /** Runs `docker <args>` for a build, streaming its log, and returns the log. */
  build(args: string[]): Promise<string>;
}

export function createDockerCli(): DockerCli {
  return {
    async buildxVersion() {
      const result = await run(['buildx', 'version'], { silent: true });
      if (result.exitCode !== 0) {
        throw new ConfigurationError(
          `docker buildx is not available (${describe(result)}). Run on a runner with Docker Buildx ` +
            `(GitHub's ubuntu runners have it) or add docker/setup-buildx-action before this step.`,
        );
      }
      return result.stdout.trim();
    },

    async currentBuilder() {
      const result = await run(['buildx', 'inspect'], { silent: true });
      if (result.exitCode !== 0) throw new ConfigurationError(`docker buildx inspect failed: ${describe(result)}`);
      return result.stdout;
    },

    async findBuilder(name) {
      const result = await run(['buildx', 'inspect', name], { silent: true });
      if (result.exitCode === 0) return result.stdout;
      if (/no builder .* found/i.test(result.stderr)) return undefined;
      throw new ConfigurationError(`docker buildx inspect ${name} failed: ${describe(result)}`);
    },

    async createBuilder(name) {
      const result = await run(['buildx', 'create', '--name', name, '--driver', 'docker-container', '--bootstrap']);
      if (result.exitCode !== 0) {
        throw new ConfigurationError(`Could not create the buildx builder "${name}": ${describe(result)}`);
      }
    },

    async login(registry, username, password) {
      const result = await run(['login', '--username', username, '--password-stdin', registry], {
        input: Buffer.from(password),
      });
      if (result.exitCode !== 0) throw new ConfigurationError(`docker login to ${registry} failed: ${describe(result)}`);
    },

    async logout(registry) {
      const result = await run(['logout', registry]);
      if (result.exitCode !== 0) throw new Error(`docker logout ${registry} failed: ${describe(result)}`);
    },

    async build(args) {
      const lines: string[] = [];
      const exitCode = await exec('docker', args, {
        ignoreReturnCode: true,
        listeners: { stdline: (line) => lines.push(line), errline: (line) => lines.push(line) },
      });
      const log = lines.join('\n');
      if (exitCode !== 0) throw new ConfigurationError(describeBuildFailure(log, exitCode));
      return log;
    },
  };
}

interface RunResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

async function run(args: string[], options: { silent?: boolean; input?: Buffer } = {}): Promise<RunResult> {
  try {
    return await getExecOutput('docker', args, { ...options, ignoreReturnCode: true });
  } catch (error) {
    // @actions/exec throws before spawning when the executable is not on PATH.
    const message = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError(`Could not run docker: ${message}. This action needs the docker CLI with buildx.`);
  }
}

function describe(result: RunResult): string {
  const output = (result.stderr.trim() || result.stdout.trim()).split('\n').slice(-5).join(' ');
  return `exit code ${result.exitCode}${output ? `: ${output}` : ''}`;
}
