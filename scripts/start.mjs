// `npm start`: rehearses the deploy pipeline (deploy.yml) on this machine against an embedded AWS, then leaves the
// deployed notebook running until Ctrl-C, which stops everything it started. `npm start -- --help` for the options.
import { spawnSync } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { repoRoot } from './lib/repo.mjs';
import { ensureNodeModules, ensureVenv } from './lib/setup.mjs';
import { createSupervisor } from './rehearsal/processes.mjs';
import { runStages } from './rehearsal/stages.mjs';
import { DEPLOY_JOBS } from './rehearsal/workflow.mjs';

const USAGE = `usage: npm start [-- --port N] [-- --exit-after-smoke-test]

Rehearses .github/workflows/deploy.yml locally, against an embedded AWS on 127.0.0.1, then serves the deployed
notebook until Ctrl-C.
  --port N                   port of the app's URL (the local CloudFront); 0 picks a free one (default 8080)
  --exit-after-smoke-test    stop everything and exit once the smoke test has passed (exit code 0) or a stage
                             failed (1), instead of serving`;

const { values: options } = parseArgs({
  options: {
    port: { type: 'string', default: '8080' },
    'exit-after-smoke-test': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (options.help) {
  console.log(USAGE);
  process.exit(0);
}
const edgePort = Number(options.port);
if (!Number.isInteger(edgePort) || edgePort < 0 || edgePort > 65_535) {
  console.error(`error: --port must be a port number (0 for any free one); got "${options.port}"\n\n${USAGE}`);
  process.exit(2);
}

// The runner runs the actions on node24; whether this node is new enough for the AWS SDK's next versions is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const log = (line) => console.log(line);
const supervisor = createSupervisor({ log });
const workDir = await mkdtemp(join(tmpdir(), 'notebook-ship-start-'));
const appLog = createWriteStream(join(workDir, 'app.log'));
let stopping;
let cancelled;

/** Stops everything this run started (newest first, by PID), removes its files, and exits with `code`. */
function shutdown(code, why) {
  // npm passes a terminal's Ctrl-C on too, so the same signal often arrives twice: one shutdown.
  if (stopping) return stopping;
  stopping = (async () => {
    if (why) log(why);
    const running = supervisor.running().reverse();
    if (running.length) log(`stopping: ${running.map(describe).join(', ')}`);
    await supervisor.stopAll();
    appLog.end();
    await rm(workDir, { recursive: true, force: true });
    log('everything stopped.');
    // Exit once the output is written (a pipe may still hold it on some systems); nothing runs after this.
    await new Promise(() => process.stdout.write('', () => process.exit(code)));
  })();
  return stopping;
}
const describe = ({ name, pid }) => (pid ? `${name} (pid ${pid})` : `${name} (in this process)`);
for (const [signal, code, name] of [
  ['SIGINT', 130, 'Ctrl-C'],
  ['SIGTERM', 143, 'SIGTERM'],
]) {
  process.on(signal, () => {
    cancelled ??= name;
    void shutdown(code, `\n${name}: stopping everything npm start started.`);
  });
}

/** What `${{ github.sha }}` is here: the commit, marked when the working tree differs from it. */
function deployedVersion() {
  const git = (...args) => spawnSync('git', args, { cwd: repoRoot, encoding: 'utf8' });
  const head = git('rev-parse', 'HEAD');
  if (head.status !== 0) return 'local';
  const dirty = git('status', '--porcelain').stdout.trim() !== '';
  return `${head.stdout.trim()}${dirty ? '-dirty' : ''}`;
}

// The pipeline's modules need node_modules, which the first stage installs on a fresh clone.
let pipeline;
async function loadPipeline() {
  if (!pipeline) {
    const [{ loadKit }, { deployStages }] = await Promise.all([
      import('./rehearsal/kit.mjs'),
      import('./rehearsal/pipeline.mjs'),
    ]);
    pipeline = deployStages({
      kit: await loadKit(),
      supervisor,
      log,
      edgePort,
      version: deployedVersion(),
      workDir,
      onAppOutput: (chunk) => appLog.write(chunk),
    });
  }
  return pipeline;
}

const stages = [
  { name: 'setup: node modules', run: ensureNodeModules },
  { name: 'setup: python venv', run: ensureVenv },
  ...DEPLOY_JOBS.map(({ job, stage, title }) => ({
    name: stage,
    title: `${title} (deploy.yml job "${job}")`,
    run: async () => (await loadPipeline()).run[stage](),
  })),
];
const { ok, failed } = await runStages(stages, { log, cancelled: () => cancelled });
if (stopping) await stopping;
if (!ok) await shutdown(1, `\n✗ the rehearsal stopped at "${failed.stage}", as a deploy would: see its error above.`);

const { state } = pipeline;
log(`
✓ deploy.yml rehearsed: ${state.version} runs on the embedded AWS and passed the smoke test.

  Open      ${state.appUrl}
  Token     ${state.accessToken}
            (the page asks for it once: it is the task's ACCESS_TOKEN)
  App log   ${join(workDir, 'app.log')}
  Running   ${supervisor.running().map(describe).join(', ')}
`);

if (options['exit-after-smoke-test']) await shutdown(0);
log('Ctrl-C stops everything.');
state.task.exited.then(({ code, signal }) =>
  shutdown(1, `\n✗ the task (pid ${state.task.pid}) exited on its own (${signal ?? `code ${code}`}); its log ended with:\n${state.task.tail()}`),
);
