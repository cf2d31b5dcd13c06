import { describe, expect, it } from '@jest/globals';
import { formatDuration, parseDuration } from '../src/index';

describe('parseDuration', () => {
  it.each(['', 'm', '5 m', '-5s', '5d', '5s3'])('rejects "%s"', (text) => {
    expect(parseDuration(text)).toBeUndefined();
  });
  it('adds up mixed units', () => {
    expect(parseDuration('1h2m3s4ms')).toBe(3_723_004);
  });
});

describe('formatDuration', () => {
  it.each([
    [0, '0ms'],
    [999, '999ms'],
    [1_000, '1s'],
    [65_000, '1m 5s'],
    [3_600_000, '1h'],
    [3_725_000, '1h 2m 5s'],
  ])('%i ms is %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
