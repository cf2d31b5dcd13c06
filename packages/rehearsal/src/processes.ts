// Everything `npm start` starts, and how it is stopped: by PID, the newest first, with a grace period, and then a
// last look for any process it started (kernels of the notebook, a build an action ran) that outlived its parent.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  command: string;
}

interface Entry {
  name: string;
  pid?: number;
  stop: () => Promise<void>;
}

export interface ExitStatus {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** Every live process on the machine (`ps`, so it works on Linux and macOS). */
export function listProcesses(): ProcessInfo[] {
  const result = spawnSync('ps', ['-A', '-o', 'pid=,ppid=,stat=,comm='], { encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`ps failed: ${result.stderr || result.error?.message}`);
  return parseProcessList(result.stdout);
}

/** Without `ps` (a bare container), stopping falls back to the PIDs it holds: say so once, and carry on. */
let warned = false;
function listProcessesOrNone(): ProcessInfo[] {
  try {
    return listProcesses();
  } catch (error) {
    if (!warned) console.error(`! cannot list processes (${(error as Error).message}): only the processes started directly are stopped`);
    warned = true;
    return [];
  }
}

/**
 * `ps -o pid=,ppid=,stat=,comm=` output. Zombies are left out: they have exited, and only wait for a parent
 * (for an orphan, PID 1) to collect their exit status.
 */
export function parseProcessList(text: string): ProcessInfo[] {
  const found: ProcessInfo[] = [];
  for (const line of text.split('\n')) {
    const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(.*)$/.exec(line);
    if (!match || (match[3] as string).startsWith('Z')) continue;
    found.push({ pid: Number(match[1]), ppid: Number(match[2]), command: (match[4] as string).trim() });
  }
  return found;
}

/** The processes below `rootPid` (children, their children...), from one snapshot. */
export function descendants(rootPid: number, processes: ProcessInfo[] = listProcessesOrNone()): ProcessInfo[] {
  const children = new Map<number, ProcessInfo[]>();
  for (const info of processes) children.set(info.ppid, [...(children.get(info.ppid) ?? []), info]);
  const found: ProcessInfo[] = [];
  const queue = [rootPid];
  while (queue.length) {
    for (const child of children.get(queue.shift() as number) ?? []) {
      found.push(child);
      queue.push(child.pid);
    }
  }
  return found;
}

/** Those of `wanted` still running: same PID and same command, so a reused PID is not mistaken for ours. */
export function stillRunning(wanted: ProcessInfo[], processes: ProcessInfo[] = listProcessesOrNone()): ProcessInfo[] {
  const running = new Map(processes.map((info) => [info.pid, info.command]));
  return wanted.filter((info) => running.get(info.pid) === info.command);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

export interface Service {
  child: ChildProcess;
  pid: number | undefined;
  started: Promise<void>;
  exited: Promise<ExitStatus>;
  stop: () => Promise<void>;
}

export type Supervisor = ReturnType<typeof createSupervisor>;

export function createSupervisor({ log = console.log, graceMs = 10_000 }: { log?: (line: string) => void; graceMs?: number } = {}) {
  const entries: Entry[] = [];
  let stopping: Promise<void> | undefined;
  // What this process ran before the supervisor (tsx's esbuild service): not ours to stop.
  const preexisting = new Set(descendants(process.pid).map((info) => info.pid));

  function track(name: string, stop: () => Promise<void>, pid?: number) {
    const entry: Entry = { name, pid, stop };
    entries.push(entry);
    return () => {
      const index = entries.indexOf(entry);
      if (index >= 0) entries.splice(index, 1);
    };
  }

  /**
   * A long-running process in its own process group, so a Ctrl-C in the terminal reaches `npm start` alone and
   * the service is stopped in order (the app shuts its kernels down). Its output goes to `onOutput`.
   */
  function spawnService(
    name: string,
    command: string,
    args: string[],
    { env, cwd, onOutput = () => {} }: { env: NodeJS.ProcessEnv; cwd?: string; onOutput?: (chunk: string) => void },
  ): Service {
    const child = spawn(command, args, { env, cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', onOutput);
    child.stderr.setEncoding('utf8').on('data', onOutput);
    // 'exit', not 'close': a process it left behind may hold its output pipes open.
    const exited = new Promise<ExitStatus>((resolve) => {
      child.once('exit', (code, signal) => resolve({ code, signal }));
      child.once('error', () => resolve({ code: null, signal: null }));
    });
    const started = new Promise<void>((resolve, reject) => {
      child.once('spawn', resolve);
      child.once('error', (error) => reject(new Error(`${name} could not start (${command}): ${error.message}`)));
    });
    const stop = () => stopChild(child, exited, graceMs);
    const untrack = track(name, stop, child.pid);
    void exited.then(untrack);
    return { child, pid: child.pid, started, exited, stop };
  }

  /** Stops everything, newest first; then kills, by PID, whatever this process started that is still running. */
  function stopAll(): Promise<void> {
    stopping ??= (async () => {
      const before = descendants(process.pid);
      for (const entry of entries.splice(0).reverse()) {
        try {
          await entry.stop();
        } catch (error) {
          log(`! stopping ${entry.name}${entry.pid ? ` (pid ${entry.pid})` : ''} failed: ${(error as Error).message}`);
        }
      }
      const leftovers = stillRunning(
        [...before, ...descendants(process.pid)].filter((info) => info.command !== 'ps' && !preexisting.has(info.pid)),
      );
      for (const info of leftovers) {
        log(`! ${info.command} (pid ${info.pid}) outlived its parent: killing it`);
        killQuietly(info.pid, 'SIGKILL');
      }
      if (leftovers.length) await sleep(100);
    })();
    return stopping;
  }

  /** What is running, oldest first (stopAll goes the other way). */
  const running = () => entries.map(({ name, pid }) => ({ name, pid }));
  return { track, spawnService, stopAll, running };
}

function killQuietly(pid: number, signal: NodeJS.Signals) {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

/**
 * SIGTERM, then SIGKILL after the grace period. The child's own children, found beforehand, are usually stopped by it
 * (the app stops its kernels); any still running once it is gone get the same treatment.
 */
export async function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void> {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  const family = descendants(child.pid);
  await terminate([child.pid], () => exited, graceMs);
  const left = stillRunning(family);
  if (left.length) await terminate(left.map((info) => info.pid), () => waitUntilGone(left), graceMs);
}

async function terminate(pids: number[], gone: () => Promise<unknown>, graceMs: number) {
  for (const pid of pids) killQuietly(pid, 'SIGTERM');
  const timer = setTimeout(() => pids.forEach((pid) => killQuietly(pid, 'SIGKILL')), graceMs);
  await gone();
  clearTimeout(timer);
}

async function waitUntilGone(family: ProcessInfo[]) {
  while (stillRunning(family).length) await sleep(100);
}
