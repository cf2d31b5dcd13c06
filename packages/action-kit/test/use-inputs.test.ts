import { describe, expect, it } from '@jest/globals';
import { useInputs } from '../src/testing/index';

describe('useInputs', () => {
  it('starts each test from its defaults alone, adds inputs by name and puts every INPUT_ variable back after it', () => {
    const before: (() => void)[] = [];
    const after: (() => void)[] = [];
    const withInputs = useInputs({ beforeEach: (fn) => before.push(fn), afterEach: (fn) => after.push(fn) }, { command: 'plan' });
    process.env.INPUT_STRAY = 'from outside';
    try {
      for (const hook of before) hook();
      expect(process.env.INPUT_STRAY).toBeUndefined();
      expect(process.env.INPUT_COMMAND).toBe('plan');
      withInputs({ 'my input': 'a', 'task-definition-arn': 'previous' });
      withInputs({ command: undefined, 'my input': 'b' });
      expect(process.env.INPUT_MY_INPUT).toBe('b');
      expect(process.env['INPUT_TASK-DEFINITION-ARN']).toBe('previous');
      expect(process.env.INPUT_COMMAND).toBeUndefined();
      for (const hook of after) hook();
      expect(Object.keys(process.env).filter((name) => name.startsWith('INPUT_'))).toEqual(['INPUT_STRAY']);
      expect(process.env.INPUT_STRAY).toBe('from outside');
    } finally {
      delete process.env.INPUT_STRAY;
    }
  });
});
