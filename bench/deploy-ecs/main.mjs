// `npm run bench -- deploy-ecs`: how soon after ECS finishes a rollout does the deploy step finish, and how many
// ECS calls does a rollout cost? The committed deploy-ecs bundle against the anchor, the SDK waiter
// `waitUntilServicesStable` (what aws-actions/amazon-ecs-deploy-task-definition waits with), in the same run.
//
// Both watch rollouts played by the scripted ECS fake (packages/local-aws/src/fake-ecs.ts), each rollout
// reaching COMPLETED a scripted time after its UpdateService. Latency = the moment the process (action) or the
// waiter call returns, minus that COMPLETED moment. Each rollout gets its own fake and all run side by side (the
// tools mostly sleep), so the run takes about half a minute. Intervals, scaled down:
//   - deploy-ecs: poll-interval-seconds 1 (default 10), fixed interval;
//   - waiter:     minDelay 1 s (aws-actions uses 15 s), maxDelay 600 s (the SDK default for this waiter),
//                 i.e. exponential backoff with jitter from 1 s.
import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  ECSClient,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  waitUntilServicesStable,
} from '@aws-sdk/client-ecs';
import { startFakeEcs } from '@notebook-ship/local-aws';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const bundle = join(repoRoot, 'actions', 'deploy-ecs', 'dist', 'index.js');
const POLL_SECONDS = 1;
const WAITER = { minDelay: 1, maxDelay: 600, maxWaitTime: 120 };
/** When each rollout reaches COMPLETED after its UpdateService, in ms: spread so polls land at different phases. */
const ROLLOUTS_MS = [2_300, 3_700, 5_200, 6_600, 8_100, 11_500, 15_200];

async function seeded(startFakeEcs, afterMs) {
  const fake = await startFakeEcs();
  const running = fake.registerTaskDefinition({
    family: 'notebook',
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '256',
    memory: '512',
    containerDefinitions: [{ name: 'notebook', image: 'notebook:1', essential: true }],
  });
  fake.createService({ cluster: 'bench', service: 'notebook', taskDefinition: running });
  fake.scriptRollouts({ outcome: 'COMPLETED', afterMs });
  return fake;
}

const totalCalls = (calls) => Object.values(calls).reduce((sum, count) => sum + count, 0);

/** The committed action, as the runner starts it; its latency runs to the process exit. */
async function runAction(startFakeEcs, afterMs, work) {
  const fake = await seeded(startFakeEcs, afterMs);
  const files = Object.fromEntries(
    ['GITHUB_OUTPUT', 'GITHUB_STEP_SUMMARY', 'GITHUB_STATE', 'GITHUB_ENV', 'GITHUB_PATH'].map((name) => [
      name,
      join(work, `${name}-${afterMs}`),
    ]),
  );
  await Promise.all(Object.values(files).map((file) => writeFile(file, '')));
  const env = {
    PATH: process.env.PATH,
    ...files,
    ...fake.env,
    INPUT_CLUSTER: 'bench',
    INPUT_SERVICE: 'notebook',
    INPUT_IMAGE: `notebook@sha256:${'b'.repeat(64)}`,
    'INPUT_POLL-INTERVAL-SECONDS': String(POLL_SECONDS),
    'INPUT_TIMEOUT-MINUTES': '2',
  };
  const exitedAt = await new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve(Date.now()) : reject(new Error(`deploy-ecs exited ${code}:\n${output}`))));
  });
  return measure(fake, exitedAt);
}

/** The anchor: register and update like the action does, then waitUntilServicesStable. */
async function runWaiter(startFakeEcs, afterMs) {
  const fake = await seeded(startFakeEcs, afterMs);
  const client = new ECSClient({
    region: fake.region,
    endpoint: fake.endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
  });
  const registered = await client.send(
    new RegisterTaskDefinitionCommand({
      family: 'notebook',
      containerDefinitions: [{ name: 'notebook', image: `notebook@sha256:${'b'.repeat(64)}`, essential: true }],
    }),
  );
  await client.send(
    new UpdateServiceCommand({
      cluster: 'bench',
      service: 'notebook',
      taskDefinition: registered.taskDefinition.taskDefinitionArn,
    }),
  );
  await waitUntilServicesStable({ client, ...WAITER }, { cluster: 'bench', services: ['notebook'] });
  const returnedAt = Date.now();
  client.destroy();
  return measure(fake, returnedAt);
}

async function measure(fake, doneAt) {
  const [rollout] = fake.rollouts();
  const calls = fake.calls();
  await fake.stop();
  if (rollout?.settledAt === undefined) throw new Error('the rollout never reached COMPLETED');
  return {
    latencyMs: doneAt - rollout.settledAt,
    calls: totalCalls(calls),
    // The action's count includes its one look before the update.
    describes: calls.DescribeServices,
  };
}

const mean = (values) => values.reduce((sum, value) => sum + value, 0) / values.length;
const seconds = (ms) => `${(ms / 1_000).toFixed(2)} s`;

const work = await mkdtemp(join(tmpdir(), 'bench-deploy-ecs-'));
try {
  console.log(
    `${ROLLOUTS_MS.length} rollouts completing ${ROLLOUTS_MS.map((ms) => ms / 1_000).join(', ')} s after UpdateService;\n` +
      `deploy-ecs polls every ${POLL_SECONDS} s; the waiter backs off from minDelay ${WAITER.minDelay} s to maxDelay ` +
      `${WAITER.maxDelay} s.\n`,
  );
  console.log('COMPLETED at | deploy-ecs: done after, calls (DescribeServices) | waiter: done after, calls (DescribeServices)');
  const [action, waiter] = await Promise.all([
    Promise.all(ROLLOUTS_MS.map((afterMs) => runAction(startFakeEcs, afterMs, work))),
    Promise.all(ROLLOUTS_MS.map((afterMs) => runWaiter(startFakeEcs, afterMs))),
  ]);
  for (const [index, afterMs] of ROLLOUTS_MS.entries()) {
    const [ours, anchor] = [action[index], waiter[index]];
    const cell = (run) => `${seconds(run.latencyMs).padStart(7)}, ${String(run.calls).padStart(2)} (${run.describes})`.padEnd(46);
    console.log(`${seconds(afterMs).padStart(12)} | ${cell(ours)}| ${cell(anchor)}`);
  }
  const ourLatency = mean(action.map((run) => run.latencyMs));
  const theirLatency = mean(waiter.map((run) => run.latencyMs));
  const worst = (runs) => Math.max(...runs.map((run) => run.latencyMs));
  const ourCalls = mean(action.map((run) => run.calls));
  const theirCalls = mean(waiter.map((run) => run.calls));
  console.log(
    `\nmean time from COMPLETED to done: deploy-ecs ${seconds(ourLatency)} (worst ${seconds(worst(action))}), ` +
      `waiter ${seconds(theirLatency)} (worst ${seconds(worst(waiter))})`,
  );
  console.log(`  ratio waiter / deploy-ecs: ${(theirLatency / ourLatency).toFixed(1)}x (higher is better for deploy-ecs)`);
  console.log(
    `mean ECS calls per rollout: deploy-ecs ${ourCalls.toFixed(1)} (describe, render, register, update, polls, tag), ` +
      `waiter ${theirCalls.toFixed(1)} (register, update, polls)`,
  );
  console.log(`  ratio deploy-ecs / waiter: ${(ourCalls / theirCalls).toFixed(2)}x (the price of a fixed interval)`);
} finally {
  await rm(work, { recursive: true, force: true });
}
