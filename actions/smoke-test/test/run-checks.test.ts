import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { Cancelled } from '../src/abort';
import type { CheckName } from '../src/checks';
import { runChecks } from '../src/run-checks';

type Bodies = Record<CheckName, () => Promise<string>>;

function bodies(overrides: Partial<Bodies>, ran: string[]): Bodies {
  const body = (name: CheckName) => async () => {
    ran.push(name);
    return overrides[name] ? overrides[name]() : `${name} ok`;
  };
  return Object.fromEntries(
    (['ready', 'frontend', 'same-origin', 'api', 'websocket', 'auth', 'cleanup'] as const).map((name) => [name, body(name)]),
  ) as Bodies;
}

const hooks = (unexpected: Error[] = []) => ({ now: () => 0, log: () => undefined, unexpected: (error: Error) => unexpected.push(error) });
const ALL: CheckName[] = ['ready', 'frontend', 'same-origin', 'api', 'websocket', 'auth', 'cleanup'];

describe('runChecks', () => {
  it('skips what depends on a failed check, runs the independent ones and always cleanup', async () => {
    const ran: string[] = [];
    const failing = bodies({ api: async () => Promise.reject(new ConfigurationError('POST /api/notebooks returned 401: ...')) }, ran);
    const results = await runChecks(ALL, failing, new AbortController().signal, hooks());
    expect(ran).toEqual(['ready', 'frontend', 'same-origin', 'api', 'auth', 'cleanup']);
    expect(results.map(({ name, status, detail }) => [name, status, detail])).toEqual([
      ['ready', 'passed', 'ready ok'],
      ['frontend', 'passed', 'frontend ok'],
      ['same-origin', 'passed', 'same-origin ok'],
      ['api', 'failed', 'POST /api/notebooks returned 401: ...'],
      ['websocket', 'skipped', 'not run: api failed'],
      ['auth', 'passed', 'auth ok'],
      ['cleanup', 'passed', 'cleanup ok'],
    ]);
  });

  it('propagates skips down the chain', async () => {
    const ran: string[] = [];
    const results = await runChecks(['ready', 'api', 'websocket', 'cleanup'], bodies({ ready: () => Promise.reject(new ConfigurationError('down')) }, ran), new AbortController().signal, hooks());
    expect(results.map(({ status, detail }) => `${status}: ${detail}`)).toEqual(['failed: down', 'skipped: not run: ready failed', 'skipped: not run: api skipped', 'passed: cleanup ok']);
    expect(ran).toEqual(['ready', 'cleanup']);
  });

  it('after a cancellation runs nothing but cleanup', async () => {
    const ran: string[] = [];
    const cancel = new AbortController();
    const results = await runChecks(
      ALL,
      bodies({ frontend: async () => { cancel.abort(); throw new Cancelled(); } }, ran),
      cancel.signal,
      hooks(),
    );
    expect(ran).toEqual(['ready', 'frontend', 'cleanup']);
    expect(results.map(({ status }) => status)).toEqual(['passed', 'failed', 'skipped', 'skipped', 'skipped', 'skipped', 'passed']);
    expect(results[1]?.detail).toBe('cancelled: the workflow run was cancelled');
    expect(results[2]?.detail).toBe('not run: the run was cancelled');
  });

  it('records a bug as a failure with its name, and hands it over for its stack', async () => {
    const unexpected: Error[] = [];
    const bug = new TypeError("Cannot read properties of undefined (reading 'id')");
    const results = await runChecks(['frontend', 'cleanup'], bodies({ frontend: () => Promise.reject(bug) }, []), new AbortController().signal, hooks(unexpected));
    expect(results[0]).toMatchObject({ status: 'failed', detail: "TypeError: Cannot read properties of undefined (reading 'id')" });
    expect(unexpected).toEqual([bug]);
  });
});
