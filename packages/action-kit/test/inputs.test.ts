import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  booleanInput,
  durationInput,
  enumInput,
  integerInput,
  keyValueInput,
  listInput,
  optionalInput,
  requiredInput,
} from '../src/index';
import { useInputs } from '../src/testing/index';

const withInputs = useInputs({ beforeEach, afterEach });

describe('requiredInput', () => {
  it('returns the trimmed value', () => {
    withInputs({ cluster: '  prod  ' });
    expect(requiredInput('cluster')).toBe('prod');
  });
  it('names the missing input', () => {
    expect(() => requiredInput('cluster')).toThrow('Input "cluster" is required');
  });
  it('treats whitespace as missing', () => {
    withInputs({ cluster: '   ' });
    expect(() => requiredInput('cluster')).toThrow('Input "cluster" is required');
  });
});

describe('optionalInput', () => {
  it('falls back when empty', () => {
    expect(optionalInput('working-directory', 'frontend')).toBe('frontend');
    withInputs({ 'working-directory': 'web' });
    expect(optionalInput('working-directory', 'frontend')).toBe('web');
  });
});

describe('booleanInput', () => {
  it.each([
    ['true', true],
    ['TRUE', true],
    ['yes', true],
    ['1', true],
    ['false', false],
    ['False', false],
    ['off', false],
    ['0', false],
  ])('reads %s as %s', (value, expected) => {
    withInputs({ wait: value });
    expect(booleanInput('wait', !expected)).toBe(expected);
  });
  it('falls back when empty', () => {
    expect(booleanInput('wait', true)).toBe(true);
  });
  it('rejects anything else, naming input and accepted values', () => {
    withInputs({ wait: 'maybe' });
    expect(() => booleanInput('wait', true)).toThrow('Input "wait" must be true or false; got "maybe".');
  });
});

describe('integerInput', () => {
  it('reads whole numbers within range', () => {
    withInputs({ concurrency: '16' });
    expect(integerInput('concurrency', { fallback: 4, min: 1, max: 64 })).toBe(16);
  });
  it('falls back when empty', () => {
    expect(integerInput('concurrency', { fallback: 4 })).toBe(4);
  });
  it.each(['abc', '1.5', '16x', ''])('rejects "%s" unless empty', (value) => {
    withInputs({ concurrency: value });
    if (value === '') return expect(integerInput('concurrency', { fallback: 2 })).toBe(2);
    expect(() => integerInput('concurrency', { fallback: 4, min: 1, max: 64 })).toThrow(
      `Input "concurrency" must be a whole number from 1 to 64; got "${value}".`,
    );
  });
  it('rejects values out of range', () => {
    withInputs({ concurrency: '0' });
    expect(() => integerInput('concurrency', { fallback: 4, min: 1 })).toThrow('a whole number of at least 1');
    withInputs({ concurrency: '99' });
    expect(() => integerInput('concurrency', { fallback: 4, max: 64 })).toThrow('a whole number of at most 64');
  });
});

describe('enumInput', () => {
  const modes = ['plan', 'apply'] as const;
  it('matches case-insensitively and returns the canonical value', () => {
    withInputs({ mode: 'APPLY' });
    expect(enumInput('mode', modes, 'plan')).toBe('apply');
  });
  it('lists the accepted values', () => {
    withInputs({ mode: 'destroy' });
    expect(() => enumInput('mode', modes, 'plan')).toThrow('Input "mode" must be one of "plan", "apply"; got "destroy".');
  });
});

describe('listInput', () => {
  it('splits lines and drops blanks', () => {
    withInputs({ tags: 'abc\n\n  latest  \n' });
    expect(listInput('tags')).toEqual(['abc', 'latest']);
  });
  it('splits commas only when asked', () => {
    withInputs({ checks: 'ready, api,websocket' });
    expect(listInput('checks')).toEqual(['ready, api,websocket']);
    expect(listInput('checks', { commas: true })).toEqual(['ready', 'api', 'websocket']);
  });
  it('is empty when unset', () => {
    expect(listInput('tags')).toEqual([]);
  });
});

describe('keyValueInput', () => {
  it('keeps everything after the first =, later keys winning', () => {
    withInputs({ environment: 'APP_VERSION=abc\nURL=http://x/?a=b\nAPP_VERSION=def\nEMPTY=' });
    expect(Object.fromEntries(keyValueInput('environment'))).toEqual({
      APP_VERSION: 'def',
      URL: 'http://x/?a=b',
      EMPTY: '',
    });
  });
  it.each(['no-equals', '=value', '1BAD=x', 'HAS SPACE=x'])('rejects the line "%s"', (line) => {
    withInputs({ environment: `OK=1\n${line}` });
    expect(() => keyValueInput('environment')).toThrow(`Input "environment" must be lines of KEY=value`);
  });
});

describe('durationInput', () => {
  it.each([
    ['90s', 90_000],
    ['15m', 900_000],
    ['1h30m', 5_400_000],
    ['250ms', 250],
    ['45', 45_000],
    ['1.5s', 1_500],
  ])('reads %s', (value, ms) => {
    withInputs({ timeout: value });
    expect(durationInput('timeout', { fallback: 1 })).toBe(ms);
  });
  it('falls back when empty', () => {
    expect(durationInput('timeout', { fallback: 300_000 })).toBe(300_000);
  });
  it('rejects malformed durations with an example', () => {
    withInputs({ timeout: '10 minutes' });
    expect(() => durationInput('timeout', { fallback: 1 })).toThrow(
      'Input "timeout" must be a duration such as 30s, 15m or 1h30m (a bare number means seconds); got "10 minutes".',
    );
  });
  it('enforces the range in readable units', () => {
    withInputs({ timeout: '2h' });
    expect(() => durationInput('timeout', { fallback: 1, min: 1_000, max: 3_600_000 })).toThrow('from 1s to 1h');
  });
});
