import { afterEach, beforeEach, describe, expect, it, jest } from '@jest/globals';
import { ConfigurationError, runAction } from '../src/index';

let printed: string[];
beforeEach(() => {
  printed = [];
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    printed.push(String(chunk));
    return true;
  });
  process.env.RUNNER_DEBUG = '1';
});
afterEach(() => {
  jest.restoreAllMocks();
  process.exitCode = undefined;
  delete process.env.RUNNER_DEBUG;
});

const output = () => printed.join('');

describe('runAction', () => {
  it('leaves a successful run alone', async () => {
    await runAction(async () => {});
    expect(process.exitCode).toBeUndefined();
    expect(output()).not.toContain('::error');
  });

  it('reports a ConfigurationError with its message only', async () => {
    await runAction(async () => {
      throw new ConfigurationError('Input "cluster" is required.');
    });
    expect(process.exitCode).toBe(1);
    expect(output()).toContain('::error::Input "cluster" is required.');
    expect(output()).not.toContain('::debug::');
  });

  it('reports a bug with its type, and its stack in debug', async () => {
    await runAction(async () => {
      throw new TypeError('cannot read x of undefined');
    });
    expect(process.exitCode).toBe(1);
    expect(output()).toContain('::error::TypeError: cannot read x of undefined');
    expect(output()).toMatch(/::debug::TypeError: cannot read x of undefined%0A\s+at /);
  });

  it('keeps an AWS error code visible', async () => {
    const denied = Object.assign(new Error('User is not authorized to perform: ecs:UpdateService'), {
      name: 'AccessDeniedException',
    });
    await runAction(async () => {
      throw denied;
    });
    expect(output()).toContain('::error::AccessDeniedException: User is not authorized to perform: ecs:UpdateService');
  });

  it('reports a thrown non-error value', async () => {
    await runAction(async () => {
      throw 'plain string';
    });
    expect(process.exitCode).toBe(1);
    expect(output()).toContain('::error::Unexpected failure: plain string');
  });
});
