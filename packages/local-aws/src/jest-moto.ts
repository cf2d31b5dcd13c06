import { afterAll, beforeAll } from '@jest/globals';
import { startMoto, type Moto, type MotoOptions } from './moto';

/**
 * One emulator per test file: started before the file's tests, exported to process.env for in-process SDK
 * clients, and stopped (by PID) with the environment restored afterwards.
 */
export function useMoto(options: MotoOptions = {}): { readonly current: Moto } {
  const holder: { current?: Moto } = {};
  const saved: Record<string, string | undefined> = {};
  beforeAll(async () => {
    holder.current = await startMoto(options);
    for (const [name, value] of Object.entries(holder.current.env)) {
      saved[name] = process.env[name];
      process.env[name] = value;
    }
  }, 60_000);
  afterAll(async () => {
    await holder.current?.stop();
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  });
  return {
    get current(): Moto {
      if (!holder.current) throw new Error('moto is not running: use it inside a test, not at module level.');
      return holder.current;
    },
  };
}
