// Benchmark of how many notebooks holding a 200 MB DataFrame one API task sustains (`npm run bench -- kernel-capacity`;
// `node --import tsx bench/kernel-capacity/main.mjs --notebooks 1,2` for fewer).
//
// The real server (backend/Dockerfile's command, from backend/.venv, on 127.0.0.1) runs twice: with
// KERNEL_LAUNCHER=process, the anchor, and with KERNEL_LAUNCHER=ecs against the local ECS, which runs each kernel
// task's agent as a local process on its own 127.0.0.N. For each N, N notebooks are created through the REST API, and
// over their WebSockets the first cell builds a DataFrame of 25M float64 (200 MB) and its dependent cell reads it.
// Measured: the memory of the API task, i.e. the process tree of the server (in process mode its kernels are in it),
// apart from the kernel tasks' trees; the time from the notebooks' creation to the last reading cell done (cold: the
// kernels' starts included) and of the same runs in the running kernels (warm); and from those, how many such
// notebooks fit in the task memory terraform/variables.tf gives the app.
// RSS counts pages shared between processes (the libraries every kernel maps) once per process; PSS splits them, so a
// sum of PSS is nearer to what the task's cgroup is charged. Kernel tasks' ECS provisioning (tens of seconds on
// Fargate) is not in the cold times: the local ECS starts a task in a few hundred milliseconds, but the server's
// DescribeTasks polling (1 s, then 2 s...), the agent's own start and its TLS connection are.
import { spawn } from 'node:child_process';
import { chownSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { parse } from '@cdktf/hcl2json';
import { freePort, startFakeEcs } from '@notebook-ship/local-aws';
import { WebSocket } from 'undici';
import { imageExecutable, imageTaskRunner, taskCommand } from '../../packages/rehearsal/src/task.ts';
import { repoRoot } from '../../scripts/lib/repo.mjs';

const BUILD = 'import numpy as np\nimport pandas as pd\ndf = pd.DataFrame({"x": np.random.default_rng(0).random(25_000_000)})';
const READ = 'float(df["x"].mean())';
const ROUND_TIMEOUT_MS = 120_000;
const SAMPLE_MS = 200;
const WARM_REPEATS = 3;
const KERNEL_FAMILY = 'bench-kernel';
const MiB = 1024 * 1024;
const SERVER_INHERITS = ['PATH', 'HOME', 'LANG', 'TMPDIR'];
const NOTEBOOK_UID = 10001; // backend/Dockerfile's account, which the launcher runs the server as when started as root

// The SDK's notice that its releases of 2027 need node 22 is noise here.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

const { values } = parseArgs({ options: { notebooks: { type: 'string', default: '1,2,4,8' } } });
const counts = [...new Set(values.notebooks.split(',').map(Number))].sort((a, b) => a - b); // the last the largest
if (!counts.every((n) => Number.isInteger(n) && n > 0 && n <= 12)) {
  console.error(`error: --notebooks takes counts from 1 to 12 separated by commas (8 notebooks hold ~3 GiB); got "${values.notebooks}"`);
  process.exit(2);
}

/** The defaults terraform/variables.tf gives the app's task memory and each kernel process's address space. */
async function terraformDefaults() {
  const file = join(repoRoot, 'terraform', 'variables.tf');
  const parsed = await parse(file, readFileSync(file, 'utf8'));
  const byName = (name) => {
    const value = parsed.variable?.[name]?.[0]?.default;
    if (typeof value !== 'number') throw new Error(`terraform/variables.tf has no number default for variable "${name}"`);
    return value;
  };
  return { taskMemoryMiB: byName('task_memory'), kernelMemoryMb: byName('kernel_memory_mb') };
}

// -- memory of process trees, from /proc ----------------------------------------------------------------------------

function processTable() {
  const parents = new Map();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The command name may hold spaces and parentheses: the fields after its closing one are fixed.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      parents.set(Number(entry), ppid);
    } catch {
      // ended meanwhile
    }
  }
  return parents;
}

/** `root` and every process below it. */
function tree(parents, root) {
  const children = new Map();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  const found = [];
  for (const queue = [root]; queue.length; ) {
    const pid = queue.pop();
    found.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return found;
}

function memoryOf(pids) {
  let rss = 0;
  let pss = 0;
  for (const pid of pids) {
    try {
      const rollup = readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8');
      rss += Number(/^Rss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
      pss += Number(/^Pss:\s+(\d+) kB/m.exec(rollup)?.[1] ?? 0) * 1024;
    } catch {
      // ended meanwhile
    }
  }
  return { rss, pss, processes: pids.length };
}

/** The API task (the server's tree) and the kernel tasks (everything else this process started but the server). */
function sample(serverPid) {
  const parents = processTable();
  const server = tree(parents, serverPid);
  const inServer = new Set(server);
  const tasks = tree(parents, process.pid).filter((pid) => pid !== process.pid && !inServer.has(pid));
  return { api: memoryOf(server), tasks: memoryOf(tasks) };
}

// -- the server --------------------------------------------------------------------------------------------------------

async function startServer(environment) {
  const port = await freePort();
  if (cancelled) throw new Error(`${cancelled}: stopped`);
  const [name, ...args] = taskCommand(readFileSync(join(repoRoot, 'backend', 'Dockerfile'), 'utf8'), { host: '127.0.0.1', port });
  let log = '';
  const inherited = Object.fromEntries(SERVER_INHERITS.flatMap((key) => (process.env[key] ? [[key, process.env[key]]] : [])));
  const child = spawn(imageExecutable(name), args, {
    cwd: join(repoRoot, 'backend'),
    env: { ...inherited, ...environment },
    detached: true, // its own process group, which a failed stop kills whole
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  for (const stream of [child.stdout, child.stderr]) stream.setEncoding('utf8').on('data', (chunk) => (log = (log + chunk).slice(-4000)));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`)));
  let stopping = false;
  void exited.then((how) => stopping || console.error(`the server (pid ${child.pid}) exited (${how}); its log ended with:\n${log}`));
  const stop = async () => {
    stopping = true;
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => killGroup(child.pid), 10_000);
    await exited;
    clearTimeout(timer);
    killGroup(child.pid); // whatever its kernels left behind
  };
  cleanups.push(stop);
  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + 60_000;
  for (;;) {
    if (child.exitCode !== null || child.signalCode !== null) throw new Error(`the server exited before it was healthy:\n${log}`);
    if (await fetch(`${url}/health`).then((answer) => answer.ok, () => false)) break;
    if (Date.now() > deadline) throw new Error(`the server did not answer ${url}/health within 60 s:\n${log}`);
    await sleep(200);
  }
  return { pid: child.pid, url, stop };
}

function killGroup(pid) {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

async function api(url, method, path, body) {
  const answer = await fetch(`${url}/api/${path}`, {
    method,
    headers: body ? { 'content-type': 'application/json' } : {},
    body: body ? JSON.stringify(body) : undefined,
  });
  if (!answer.ok) throw new Error(`${method} /api/${path} answered ${answer.status}: ${await answer.text()}`);
  return answer.status === 204 ? undefined : answer.json();
}

/** A notebook of the two cells, its WebSocket open (the snapshot received). */
async function openNotebook(url, index) {
  const { notebook_id: id } = await api(url, 'POST', 'notebooks', { name: `capacity ${index}` });
  const { cell_id: build } = await api(url, 'POST', `notebooks/${id}/cells`, { type: 'python', code: BUILD });
  const { cell_id: read } = await api(url, 'POST', `notebooks/${id}/cells`, { type: 'python', code: READ, after_cell_id: build });
  const socket = new WebSocket(`${url.replace('http', 'ws')}/api/ws/notebooks/${id}`, ['notebook']);
  const listeners = new Set();
  socket.addEventListener('message', (event) => {
    const message = JSON.parse(String(event.data));
    for (const listener of listeners) listener(message);
  });
  // A server that went away (stopped, crashed) or Ctrl-C fails what waits at once.
  const fail = () => {
    for (const listener of listeners) listener(undefined);
  };
  cancellation.signal.addEventListener('abort', fail);
  socket.addEventListener('close', () => {
    cancellation.signal.removeEventListener('abort', fail);
    fail();
  });
  const waitFor = (what, test) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`notebook ${index}: no ${what} within ${ROUND_TIMEOUT_MS / 1000} s`)), ROUND_TIMEOUT_MS);
      const listener = (message) => {
        let done;
        try {
          const gone = cancelled ? `${cancelled}` : 'its WebSocket closed';
          done = message ? test(message) : new Error(`notebook ${index}: ${gone} while waiting for ${what}`);
        } catch (error) {
          done = error;
        }
        if (!done) return;
        listeners.delete(listener);
        clearTimeout(timer);
        if (done instanceof Error) reject(done);
        else resolve(message);
      };
      listeners.add(listener);
      if (cancellation.signal.aborted || socket.readyState === WebSocket.CLOSED) listener(undefined);
    });
  const opened = new Promise((resolve, reject) => {
    socket.addEventListener('open', resolve, { once: true });
    socket.addEventListener('error', () => reject(new Error(`notebook ${index}: its WebSocket did not open`)), { once: true });
  });
  await Promise.all([opened, waitFor('snapshot', (message) => message.type === 'snapshot')]);
  /** Runs the building cell (its reader re-runs after it) and resolves once the reader succeeded. */
  const run = () => {
    const done = waitFor(`success of the cell reading the DataFrame`, (message) => {
      if (message.type === 'cell_error') return new Error(`notebook ${index}: ${message.error?.type}: ${message.error?.message}`);
      if (message.type === 'kernel_status' && message.state === 'dead') return new Error(`notebook ${index}: the kernel died: ${message.reason}`);
      return message.type === 'cell_status' && message.cell_id === read && message.status === 'success';
    });
    socket.send(JSON.stringify({ type: 'run_cell', cell_id: build }));
    return done;
  };
  const close = async () => {
    socket.close();
    await api(url, 'DELETE', `notebooks/${id}`); // stops its kernel (in ECS mode: StopTask)
  };
  return { run, close };
}

/** Waits until the processes are back to `processes` (the deleted notebooks' kernels ended). */
async function settle(serverPid, idle) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const now = sample(serverPid);
    if (now.api.processes <= idle.api.processes && now.tasks.processes === 0) return;
    if (Date.now() > deadline) throw new Error(`kernels still running 30 s after their notebooks were deleted (${now.api.processes} server processes, ${now.tasks.processes} in kernel tasks)`);
    await sleep(SAMPLE_MS);
  }
}

async function round(server, n, idle) {
  let peak = 0;
  const sampler = setInterval(() => (peak = Math.max(peak, sample(server.pid).api.rss)), SAMPLE_MS);
  const opening = performance.now();
  const notebooks = [];
  const timed = async (started) => {
    await Promise.all(notebooks.map((notebook) => notebook.run()));
    return (performance.now() - started) / 1000;
  };
  let cold, warm, after;
  try {
    // Opening a notebook starts its kernel: cold is from the notebooks' creation, so it holds the kernels' starts.
    notebooks.push(...(await Promise.all(Array.from({ length: n }, (_, index) => openNotebook(server.url, index + 1)))));
    cold = await timed(opening);
    await sleep(500); // what the runs freed, freed
    after = sample(server.pid);
    // The same cells again in the running kernels (the DataFrame rebuilt and read): the median of a few, as they are short.
    const warms = [];
    for (let repeat = 0; repeat < WARM_REPEATS; repeat++) warms.push(await timed(performance.now()));
    warm = warms.sort((a, b) => a - b)[Math.floor(WARM_REPEATS / 2)];
  } finally {
    clearInterval(sampler);
  }
  await Promise.all(notebooks.map((notebook) => notebook.close()));
  await settle(server.pid, idle);
  return { n, cold, warm, after, peak: Math.max(peak, after.api.rss) };
}

async function measureMode(mode, environment) {
  const server = await startServer(environment);
  try {
    const idle = sample(server.pid);
    const rounds = [];
    for (const n of counts) rounds.push(await round(server, n, idle));
    return { mode, idle, rounds };
  } finally {
    await server.stop();
  }
}

// -- report ------------------------------------------------------------------------------------------------------------

const mib = (bytes) => (bytes / MiB).toFixed(0).padStart(7);

/**
 * Notebooks the task's memory holds: what the server takes idle, plus what each notebook adds to the API task at the
 * largest N, settled and at the peak of the runs. Per notebook, the larger of the RSS and PSS growth (the cautious one).
 */
function fit(result, taskMemoryMiB) {
  const { idle } = result;
  const last = result.rounds.at(-1);
  const room = taskMemoryMiB * MiB - idle.api.rss;
  const count = (perNotebook) => (perNotebook < MiB ? Infinity : Math.max(0, Math.floor(room / perNotebook)));
  const settled = Math.max(last.after.api.rss - idle.api.rss, last.after.api.pss - idle.api.pss) / last.n;
  const peak = (last.peak - idle.api.rss) / last.n;
  return { settled, peak, fits: count(settled), fitsAtPeak: count(peak) };
}

const notebooks = (fits) => (fits === Infinity ? 'memory does not bound them (under 1 MiB each)' : `${fits} notebooks`);

function report(results, { taskMemoryMiB, kernelMemoryMb }) {
  console.log(`\nnotebooks each building a 200 MB DataFrame (25M float64) and reading it, all at once`);
  console.log(`API task = the server's process tree; kernel tasks = the ECS tasks' trees (MiB; RSS counts shared pages once per process, PSS splits them)`);
  console.log(`cold = from creating the N notebooks (their kernels start on opening) to every reading cell done; warm = the runs again in the running kernels (median of ${WARM_REPEATS})`);
  console.log(`mode       N | API task RSS     PSS peak RSS | kernel tasks RSS     PSS |     cold     warm`);
  for (const { mode, idle, rounds } of results) {
    console.log(`${mode.padEnd(7)} idle |      ${mib(idle.api.rss)} ${mib(idle.api.pss)}          |                          |`);
    for (const { n, cold, warm, after, peak } of rounds) {
      const tasks = after.tasks.processes ? `${mib(after.tasks.rss)} ${mib(after.tasks.pss)}` : '      -       -';
      const times = `${cold.toFixed(2).padStart(7)} s ${warm.toFixed(2).padStart(6)} s`;
      console.log(`${mode.padEnd(7)} ${String(n).padStart(4)} |      ${mib(after.api.rss)} ${mib(after.api.pss)}  ${mib(peak)} |          ${tasks} | ${times}`);
    }
  }
  const fits = results.map((result) => ({ mode: result.mode, ...fit(result, taskMemoryMiB) }));
  const largest = counts.at(-1);
  console.log(`\nnotebooks the API task's ${taskMemoryMiB} MiB holds (terraform/variables.tf task_memory; kernel_memory_mb ${kernelMemoryMb}), from N = ${largest}:`);
  for (const { mode, settled, peak, fits: settledFits, fitsAtPeak } of fits) {
    console.log(
      `  ${mode.padEnd(7)} ${(settled / MiB).toFixed(1).padStart(6)} MiB per notebook settled: ${notebooks(settledFits)}; ` +
        `${(peak / MiB).toFixed(1).padStart(6)} MiB at the runs' peak: ${notebooks(fitsAtPeak)}`,
    );
  }
  const beyond = fits.filter(({ fits: settledFits }) => settledFits > largest && settledFits !== Infinity).map(({ mode }) => mode);
  if (beyond.length) {
    console.log(`  (${beyond.join(', ')}: extrapolated beyond the ${largest} measured; CPU and the network bound such counts before memory does)`);
  }
  const [processRounds, ecsRounds] = results.map((result) => result.rounds);
  console.log(`\nratios, ECS mode against process mode (the anchor, this run):`);
  for (const [index, { n }] of processRounds.entries()) {
    const [anchor, ecs] = [processRounds[index], ecsRounds[index]];
    console.log(
      `  N = ${String(n).padStart(2)}: API task RSS ${(ecs.after.api.rss / anchor.after.api.rss).toFixed(3)}x, ` +
        `all memory (API task + kernel tasks) RSS ${((ecs.after.api.rss + ecs.after.tasks.rss) / anchor.after.api.rss).toFixed(2)}x, ` +
        `cold ${(ecs.cold / anchor.cold).toFixed(2)}x, warm ${(ecs.warm / anchor.warm).toFixed(2)}x`,
    );
  }
  const [anchor, ecs] = fits;
  const ratio = ecs.fits === Infinity ? 'unbounded by memory' : anchor.fits ? `${(ecs.fits / anchor.fits).toFixed(1)}x` : `${ecs.fits} against none`;
  console.log(`  notebooks the API task holds (settled): ${ratio}`);
}

// -- main --------------------------------------------------------------------------------------------------------------

// What this run started, stopped newest first: on the way out, and at once on Ctrl-C (the run then fails and exits).
const cleanups = [];
let cancelled;
const cancellation = new AbortController();
async function cleanUp() {
  while (cleanups.length) await cleanups.pop()().catch((error) => console.error(`cleaning up: ${error.message}`));
}
for (const [signal, code] of [
  ['SIGINT', 130],
  ['SIGTERM', 143],
]) {
  process.on(signal, () => {
    cancelled ??= signal;
    process.exitCode = code;
    cancellation.abort();
    void cleanUp();
  });
}

try {
  const defaults = await terraformDefaults();
  const notebookDir = await mkdtemp(join(tmpdir(), 'kernel-capacity-'));
  cleanups.push(() => rm(notebookDir, { recursive: true, force: true }));
  // Started as root, the launcher runs the server as the image's account, which must write the notebooks.
  if (process.getuid?.() === 0) chownSync(notebookDir, NOTEBOOK_UID, NOTEBOOK_UID);
  const limits = { NOTEBOOK_DIR: notebookDir, KERNEL_MEMORY_MB: String(defaults.kernelMemoryMb) };

  const fake = await startFakeEcs({
    taskRunner: imageTaskRunner({ awsEnv: () => ({}), readSecret: async () => undefined }),
  });
  cleanups.push(() => fake.stop());
  fake.registerTaskDefinition({
    family: KERNEL_FAMILY,
    networkMode: 'awsvpc',
    requiresCompatibilities: ['FARGATE'],
    cpu: '512',
    memory: '1024',
    containerDefinitions: [
      { name: 'kernel', image: 'app:bench', essential: true, command: ['python', '-m', 'app.engine.kernel.agent'], portMappings: [{ containerPort: 8790, protocol: 'tcp' }] },
    ],
  });
  const ecsClient = new ECSClient({ region: fake.region, endpoint: fake.endpoint, credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' } });
  await ecsClient.send(new CreateClusterCommand({ clusterName: 'bench' }));

  const results = [];
  results.push(await measureMode('process', { ...limits, KERNEL_LAUNCHER: 'process' }));
  results.push(
    await measureMode(
      'ecs',
      {
        ...limits,
        ...fake.env,
        KERNEL_LAUNCHER: 'ecs',
        KERNEL_ECS_CLUSTER: 'bench',
        KERNEL_ECS_TASK_DEFINITION: KERNEL_FAMILY,
        KERNEL_ECS_SUBNETS: 'subnet-bench',
      }),
  );
  report(results, defaults);
} catch (error) {
  if (cancelled) console.error(`${cancelled}: everything this run started is stopped.`);
  else {
    console.error(`✗ ${error.message ?? error}`);
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
