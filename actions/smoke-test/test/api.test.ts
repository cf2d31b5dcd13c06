import type { Schema } from '@notebook-ship/api-schema';
import { describe, expect, it } from '@jest/globals';
import { FIRST_CELL, notebookName, readBackProblems, SECOND_CELL } from '../src/api';

const cell = (id: string, code: string, defines: string[], references: string[], dependsOn: string[]) => ({
  id,
  code,
  defines,
  references,
  depends_on: dependsOn,
  static_errors: [],
});

describe('readBackProblems', () => {
  it('accepts the two cells with their analysis', () => {
    expect(readBackProblems([cell('a', FIRST_CELL, ['x'], [], []), cell('b', SECOND_CELL, ['y'], ['x'], ['a'])], 'a', 'b')).toEqual([]);
  });

  it('names every difference', () => {
    expect(readBackProblems([cell('a', FIRST_CELL, ['x'], [], []), cell('b', 'y = 1', [], ['x'], [])], 'a', 'b')).toEqual([
      `the second cell's code is "y = 1", expected ${JSON.stringify(SECOND_CELL)}`,
      'the second cell\'s defines is [], expected ["y"]',
      'the second cell\'s depends_on is [], expected ["a"]',
    ]);
    expect(readBackProblems([cell('b', SECOND_CELL, ['y'], ['x'], [])], 'a', 'b')).toEqual(['cells [b], expected [a, b]']);
    const withError = { ...cell('a', FIRST_CELL, ['x'], [], []), static_errors: [syntaxError] };
    expect(readBackProblems([withError, cell('b', SECOND_CELL, ['y'], ['x'], ['a'])], 'a', 'b')).toEqual([
      `cell a's static_errors is ${JSON.stringify([syntaxError])}, expected []`,
    ]);
  });
});

const syntaxError: Schema<'StaticError'> = { kind: 'syntax', message: 'invalid syntax', line: 1, column: 1, cells: [], names: [] };

describe('notebookName', () => {
  const now = new Date('2026-01-02T03:04:05.000Z');
  it('says which run made it', () => {
    expect(notebookName({ GITHUB_REPOSITORY: 'acme/notes', GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' }, now)).toBe(
      'smoke test acme/notes run 42.2 2026-01-02T03:04:05.000Z',
    );
    expect(notebookName({}, now)).toBe('smoke test 2026-01-02T03:04:05.000Z');
  });
});
