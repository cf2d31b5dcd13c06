import { describe, expect, it } from '@jest/globals';
import { createSupervisor, descendants, listProcesses, parseProcessList, stillRunning } from '../src/processes';

const TABLE = `
    1     0 Ss   init
  100     1 Sl+  node
  101   100 S    moto_server
  102   100 Sl   uvicorn
  103   102 R    python3.11
  104   103 S    python3.11
  105   102 Z    python3.11
  200     1 Ss   bash
`;

describe('the process table', () => {
  it('reads `ps -o pid=,ppid=,stat=,comm=` without zombies, and finds every process below one, at any depth', () => {
    const processes = parseProcessList(TABLE);
    expect(processes.map((info) => info.pid)).toEqual([1, 100, 101, 102, 103, 104, 200]);
    expect(descendants(100, processes).map((info) => info.pid).sort()).toEqual([101, 102, 103, 104]);
    expect(descendants(102, processes).map((info) => info.command)).toEqual(['python3.11', 'python3.11']);
    expect(descendants(200, processes)).toEqual([]);
  });

  it('counts a process as still running only with the same PID and the same command', () => {
    const before = parseProcessList(TABLE);
    const now = parseProcessList('  101   100 S moto_server\n  103     1 S bash\n');
    expect(stillRunning(before, now).map((info) => info.pid)).toEqual([101]);
  });

  it('lists this machine, this process included', () => {
    expect(listProcesses()).toContainEqual(expect.objectContaining({ pid: process.pid, ppid: process.ppid }));
  });
});

describe('the supervisor', () => {
  it('stops services newest first, and kills by PID what outlived its parent', async () => {
    const lines: string[] = [];
    const supervisor = createSupervisor({ log: (line) => lines.push(line), graceMs: 2_000 });
    const order: string[] = [];
    supervisor.track('first', async () => void order.push('first'));
    // A parent that exits on SIGTERM and leaves its child (which ignores SIGTERM) behind.
    const script = "trap '' TERM; sleep 60 & echo child $!; trap 'exit 0' TERM; while true; do sleep 0.1; done";
    let output = '';
    const service = supervisor.spawnService('parent', 'bash', ['-c', script], {
      env: process.env,
      cwd: process.cwd(),
      onOutput: (chunk) => (output += chunk),
    });
    await service.started;
    while (!/child (\d+)/.test(output)) await new Promise((resolve) => setTimeout(resolve, 20));
    const orphan = Number(/child (\d+)/.exec(output)?.[1]);
    const family = descendants(process.pid).filter((info) => [service.pid, orphan].includes(info.pid));
    expect(family).toHaveLength(2);
    supervisor.track('last', async () => void order.push('last'));

    expect(supervisor.running().map((entry) => entry.name)).toEqual(['first', 'parent', 'last']);
    await supervisor.stopAll();

    expect(order).toEqual(['last', 'first']);
    expect(stillRunning(family, listProcesses())).toEqual([]);
    expect(supervisor.running()).toEqual([]);
  });

  it('reports a stop that fails and carries on with the others', async () => {
    const lines: string[] = [];
    const supervisor = createSupervisor({ log: (line) => lines.push(line) });
    let stopped = false;
    supervisor.track('kept', async () => void (stopped = true));
    supervisor.track('broken', () => Promise.reject(new Error('socket in use')), 4242);
    await supervisor.stopAll();
    expect(stopped).toBe(true);
    expect(lines).toContain('! stopping broken (pid 4242) failed: socket in use');
  });

  it('says which service could not start', async () => {
    const supervisor = createSupervisor();
    const service = supervisor.spawnService('app', '/nonexistent/uvicorn', [], { env: process.env });
    await expect(service.started).rejects.toThrow('app could not start (/nonexistent/uvicorn): spawn /nonexistent/uvicorn ENOENT');
    await service.exited;
    expect(supervisor.running()).toEqual([]);
  });
});
