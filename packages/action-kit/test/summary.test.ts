import { afterEach, describe, expect, it } from '@jest/globals';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { escapeCell, keyValueTable, markdownTable, writeSummary } from '../src/index';

describe('tables', () => {
  it('escapes pipes and newlines so a value cannot break the row', () => {
    expect(escapeCell('a|b\nc')).toBe('a\\|b<br>c');
  });
  it('skips empty values in key/value tables', () => {
    expect(keyValueTable([['Image', 'repo@sha256:1'], ['Skipped', undefined], ['Count', 0], ['Empty', '']])).toBe(
      ['| | |', '| --- | --- |', '| **Image** | repo@sha256:1 |', '| **Count** | 0 |'].join('\n'),
    );
  });
  it('builds a header, a rule and rows', () => {
    expect(markdownTable(['check', 'result'], [['ready', 'pass']])).toBe(
      ['| check | result |', '| --- | --- |', '| ready | pass |'].join('\n'),
    );
  });
});

describe('writeSummary', () => {
  const saved = process.env.GITHUB_STEP_SUMMARY;
  afterEach(() => {
    if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY;
    else process.env.GITHUB_STEP_SUMMARY = saved;
  });

  it('appends to the step summary file', async () => {
    const file = join(await mkdtemp(join(tmpdir(), 'summary-')), 'summary.md');
    await writeFile(file, 'before\n');
    process.env.GITHUB_STEP_SUMMARY = file;
    await writeSummary('| a |');
    expect(await readFile(file, 'utf8')).toBe('before\n| a |\n');
  });

  it('does not fail outside a runner', async () => {
    delete process.env.GITHUB_STEP_SUMMARY;
    await expect(writeSummary('text')).resolves.toBeUndefined();
  });
});
