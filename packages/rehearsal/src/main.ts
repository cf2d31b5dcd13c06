// `npm start`: rehearses the deploy pipeline (deploy.yml) on this machine against the local AWS, then leaves the
// deployed notebook running until Ctrl-C, which stops everything it started. `npm start -- --help` for the options.
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { Outcome } from '../../../scripts/lib/phases.mjs';
import { repoRoot } from '../../../scripts/lib/repo.mjs';
import { deployRehearsal, type KernelLauncher } from './pipeline';
import { createSupervisor } from './processes';
import { runStages } from './stages';
import { DEFAULT_STATE_DIR, openState, resetState, StateError, type LocalState } from './state';

export const USAGE = `usage: npm start [-- --port N] [-- --exit-after-smoke-test] [-- --fail-backend] [-- --rotate-token]
                 [-- --reset] [-- --state-dir DIR] [-- --kernels process|ecs]

Rehearses .github/workflows/deploy.yml locally: terraform/ applied against an emulated AWS on 127.0.0.1 (an empty
account: a first deploy), then the pipeline's jobs with the committed action bundles; then serves the deployed
notebook until Ctrl-C.
  --port N                   port of the app's URL (the local CloudFront); 0 picks a free one (default 8080)
  --exit-after-smoke-test    stop everything and exit once the smoke test has passed (exit code 0) or a stage
                             failed (1), instead of serving
  --fail-backend             rehearse a failed deploy: the backend job fails once ECS started its deployment, the
                             rollback jobs take back what changed, the last job says what production runs; exits 1
  --rotate-token             a new access token instead of the one kept from the last run
  --reset                    delete the kept state (notebooks and token) first, and start afresh
  --state-dir DIR            where notebooks and the token are kept between runs (default .local/npm-start, git-ignored)
  --kernels process|ecs      how the app runs notebook kernels (terraform/'s kernel_launcher): process, child processes
                             of the app (default); ecs, one ECS task each, which the local ECS runs as local processes,
                             each on its own loopback address 127.0.0.N (Linux)

Each run deploys into an empty local AWS; the notebooks and the access token of earlier runs are kept in the state
folder and put back into the bucket and the secret Terraform makes.`;

export interface CliOptions {
  port: number;
  exitAfterSmokeTest: boolean;
  failBackend: boolean;
  rotateToken: boolean;
  reset: boolean;
  stateDir: string;
  kernels: KernelLauncher;
}

/** The command line, or a usage error (thrown with the message to print, and exit code 2). */
export function parseCli(args: string[]): CliOptions | 'help' {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '8080' },
      'exit-after-smoke-test': { type: 'boolean', default: false },
      'fail-backend': { type: 'boolean', default: false },
      'rotate-token': { type: 'boolean', default: false },
      reset: { type: 'boolean', default: false },
      'state-dir': { type: 'string' },
      kernels: { type: 'string', default: 'process' },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) return 'help';
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`error: --port must be a port number (0 for any free one); got "${values.port}"\n\n${USAGE}`);
  }
  if (values['state-dir'] === '') throw new Error(`error: --state-dir needs a folder\n\n${USAGE}`);
  const kernels = values.kernels;
  if (kernels !== 'process' && kernels !== 'ecs') throw new Error(`error: --kernels must be process or ecs; got "${kernels}"\n\n${USAGE}`);
  return {
    port,
    exitAfterSmokeTest: values['exit-after-smoke-test'],
    failBackend: values['fail-backend'],
    rotateToken: values['rotate-token'],
    reset: values.reset,
    stateDir: values['state-dir'] ? resolve(values['state-dir']) : DEFAULT_STATE_DIR,
    kernels,
  };
}

/** What `${{ github.sha }}` is here: the commit, marked when the working tree differs from it. */
export function deployedVersion(): string {
  const git = (...args: string[]) => spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0) return 'local';
  const dirty = git('status', '--porcelain').stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '-dirty' : ''}`;
}

const shown = (dir: string) => (relative(repoRoot, dir).startsWith('..') ? dir : relative(repoRoot, dir) || '.');

/**
 * Runs `setup` (the stages that made this module loadable, already done, reported in the same table), then the
 * rehearsal. Exits the process when the run ends or is stopped.
 */
export async function main(args: string[], setup: Outcome[] = []): Promise<void> {
  const log = (line: string) => console.log(line);
  let options: CliOptions | 'help';
  try {
    options = parseCli(args);
  } catch (error) {
    console.error((error as Error).message);
    process.exit(2);
  }
  if (options === 'help') {
    log(USAGE);
    process.exit(0);
  }
  // The runner runs the actions on node24; whether this node is new enough for the AWS SDK's next versions is noise here.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  let kept: LocalState;
  try {
    if (options.reset && resetState(options.stateDir)) {
      log(`--reset: ${options.stateDir} deleted; this run starts with no notebooks and a new token`);
    }
    kept = openState(options.stateDir);
  } catch (error) {
    if (!(error instanceof StateError)) throw error;
    console.error(`✗ ${error.message}`);
    process.exit(1);
  }
  const supervisor = createSupervisor({ log });
  const workDir = await mkdtemp(join(tmpdir(), 'notebook-ship-start-'));
  const appLog = createWriteStream(join(workDir, 'app.log'));
  let stopping: Promise<void> | undefined;
  let cancelled: string | undefined;
  const describe = ({ name, pid }: { name: string; pid?: number }) => (pid ? `${name} (pid ${pid})` : `${name} (in this process)`);

  /** Stops everything this run started (newest first, by PID), removes its files, and exits with `code`. */
  function shutdown(code: number, why?: string): Promise<void> {
    // npm passes a terminal's Ctrl-C on too, so the same signal often arrives twice: one shutdown.
    stopping ??= (async () => {
      if (why) log(why);
      const running = supervisor.running().reverse();
      if (running.length) log(`stopping: ${running.map(describe).join(', ')}`);
      await supervisor.stopAll();
      kept.release();
      appLog.end();
      await rm(workDir, { recursive: true, force: true });
      log('everything stopped.');
      // Exit once the output is written (a pipe may still hold it on some systems); nothing runs after this.
      await new Promise(() => process.stdout.write('', () => process.exit(code)));
    })();
    return stopping;
  }
  for (const [signal, code, name] of [
    ['SIGINT', 130, 'Ctrl-C'],
    ['SIGTERM', 143, 'SIGTERM'],
  ] as const) {
    process.on(signal, () => {
      cancelled ??= name;
      void shutdown(code, `\n${name}: stopping everything npm start started.`);
    });
  }

  const { state, stages } = deployRehearsal({
    supervisor,
    log,
    edgePort: options.port,
    version: deployedVersion(),
    workDir,
    onAppOutput: (chunk) => appLog.write(chunk),
    failBackend: options.failBackend,
    state: kept,
    rotateToken: options.rotateToken,
    kernels: options.kernels,
  });
  const { ok, failed } = await runStages(stages, { log, cancelled: () => cancelled, done: setup });
  if (stopping) await stopping;
  if (!ok) await shutdown(1, `\n✗ the rehearsal stopped at "${failed?.stage}", as a deploy would: see its error above.`);

  log(`
✓ deploy.yml rehearsed: ${state.version} runs on the local AWS and passed the smoke test.
  ${state.applySummary} (terraform/ on the local AWS)

  Open      ${state.appUrl}
${
    state.signIn
      ? `  Sign in   as ${state.signIn.users.join('\n            or ')}\n            (at ${state.signIn.issuer}, a local OpenID Connect provider)\n  Audit log ${state.auditLog}\n`
      : ''
  }  Token     ${state.accessToken}
            (automation's ACCESS_TOKEN, read from Secrets Manager${state.signIn ? '' : '; the page asks for it once'})
  Kept      ${shown(kept.dir)} (notebooks, token and audit log, for the next npm start; --reset starts afresh)
  Kernels   ${state.kernels}${options.kernels === 'ecs' ? `\n            ${state.aws?.ecs.calls().RunTask ?? 0} kernel task(s) started so far (RunTask); their output is in the app log` : ''}
  App log   ${join(workDir, 'app.log')}
  Running   ${supervisor.running().map(describe).join(', ')}
`);

  if (options.exitAfterSmokeTest) await shutdown(0);
  log('Ctrl-C stops everything.');
  void state.task?.exited.then(({ code, signal }) =>
    shutdown(1, `\n✗ the task (pid ${state.task?.pid}) exited on its own (${signal ?? `code ${code}`}); its log ended with:\n${state.task?.tail()}`),
  );
}
