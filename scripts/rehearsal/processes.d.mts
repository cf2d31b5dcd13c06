import type { ChildProcess } from 'node:child_process';

export interface ProcessInfo {
  pid: number;
  ppid: number;
  command: string;
}
export interface Service {
  child: ChildProcess;
  pid: number;
  started: Promise<void>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stop: () => Promise<void>;
}
export interface Supervisor {
  track(name: string, stop: () => Promise<void>, pid?: number): () => void;
  spawnService(
    name: string,
    command: string,
    args: string[],
    options: { env: NodeJS.ProcessEnv; cwd: string; onOutput?: (chunk: string) => void },
  ): Service;
  stopAll(): Promise<void>;
  running(): { name: string; pid?: number }[];
}
export function listProcesses(): ProcessInfo[];
export function parseProcessList(text: string): ProcessInfo[];
export function descendants(rootPid: number, processes?: ProcessInfo[]): ProcessInfo[];
export function stillRunning(wanted: ProcessInfo[], processes?: ProcessInfo[]): ProcessInfo[];
export function createSupervisor(options?: { log?: (line: string) => void; graceMs?: number }): Supervisor;
export function stopChild(child: ChildProcess, exited: Promise<unknown>, graceMs: number): Promise<void>;
