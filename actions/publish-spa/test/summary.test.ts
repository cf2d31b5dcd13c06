import { describe, expect, it } from '@jest/globals';
import { formatBytes, renderSummary } from '../src/summary';
import type { ReleaseResult } from '../src/steps';

describe('formatBytes', () => {
  it('uses binary units with one decimal below ten', () => {
    expect(formatBytes(0)).toBe('0 B');
    expect(formatBytes(1023)).toBe('1023 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(40 * 1024 * 1024)).toBe('40 MiB');
    expect(formatBytes(3 * 1024 ** 3)).toBe('3.0 GiB');
  });
});

describe('renderSummary', () => {
  const base: ReleaseResult = {
    mode: 'publish',
    releaseId: 'abc',
    previousReleaseId: '',
    uploaded: [],
    skipped: [{ path: 'index.html', size: 2048 }],
    deletedPaths: ['assets/old-Ab12Cd34.js'],
    prunedReleases: ['r0'],
    invalidation: undefined,
    url: '',
    apiBaseUrlFoundIn: [],
    durationMs: 65_000,
  };

  it('reports counts, bytes, time, release and invalidation of a publish', () => {
    const summary = renderSummary(
      { ...base, invalidation: { id: 'I1', paths: ['/', '/index.html'], status: 'Completed' } },
      'site-bucket',
      'web/',
    );
    expect(summary).toContain('### Published release `abc` to s3://site-bucket/web/');
    expect(summary).toContain('| **Replaced** | no recorded release |');
    expect(summary).toContain('| **Uploaded** | 0 files (0 B) |');
    expect(summary).toContain('| **Unchanged, skipped** | 1 file (2.0 KiB) |');
    expect(summary).toContain('| **Deleted** | 1 object; pruned releases: r0 |');
    expect(summary).toContain('| **Invalidation** | I1: / /index.html (Completed) |');
    expect(summary).toContain('| **Time** | 1m 5s |');
    expect(summary).not.toContain('**URL**');
  });

  it('says where the source maps went and that nothing public points at a private one', () => {
    const row = (sourceMaps: ReleaseResult['sourceMaps']) =>
      renderSummary({ ...base, sourceMaps }, 'site-bucket', 'web/').split('\n').find((line) => line.includes('Source maps'));
    expect(row({ mode: 'private', count: 2 })).toBe(
      '| **Source maps** | 2 maps kept private under web/_releases/source-maps/; scripts and style sheets no longer ' +
        'point at them |',
    );
    expect(row({ mode: 'skip', count: 1 })).toBe(
      '| **Source maps** | 1 map not uploaded; scripts and style sheets no longer point at them |',
    );
    expect(row({ mode: 'publish', count: 3 })).toBe('| **Source maps** | 3 maps served with the site |');
    expect(row({ mode: 'private', count: 0 })).toBe('| **Source maps** | none in the build |');
  });

  it('reports a rollback without publish-only rows', () => {
    const summary = renderSummary({ ...base, mode: 'rollback', previousReleaseId: 'def' }, 'site-bucket', '');
    expect(summary).toContain('### Rolled back s3://site-bucket/ to release `abc`');
    expect(summary).toContain('| **Replaced** | def |');
    expect(summary).toContain('| **Restored pages** | 0 files (0 B) |');
    expect(summary).not.toContain('Unchanged');
  });
});
