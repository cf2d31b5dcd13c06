import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@notebook-ship/action-kit';
import {
  findLive,
  isValidReleaseId,
  nextSequence,
  parseRecord,
  pickRollbackTarget,
  planRetention,
  releaseIdOfRecordPath,
  type ReleaseRecord,
} from '../src/releases';

/** A release whose index has the given MD5 and which uses `index.html` plus the given asset paths. */
function release(id: string, sequence: number, index: string, assets: string[]): ReleaseRecord {
  return {
    version: 1,
    id,
    sequence,
    publishedAt: '2025-01-01T00:00:00.000Z',
    apiBaseUrl: '',
    files: [{ path: 'index.html', md5: index, size: 1 }, ...assets.map((path) => ({ path, md5: 'x', size: 1 }))],
    pages: { 'index.html': '' },
  };
}

const r1 = release('r1', 1, 'i1', ['assets/a1.js', 'assets/shared.js']);
const r2 = release('r2', 2, 'i2', ['assets/a2.js', 'assets/shared.js']);
const r3 = release('r3', 3, 'i2', ['assets/a2.js', 'assets/shared.js']); // a backend-only change: same site
const r4 = release('r4', 4, 'i4', ['assets/a4.js', 'assets/shared.js']);
const all = [r3, r1, r4, r2];

describe('release ids and record keys', () => {
  it('accepts SHAs and tags, refuses what could escape the folder', () => {
    expect(isValidReleaseId('0123456789abcdef0123456789abcdef01234567')).toBe(true);
    expect(isValidReleaseId('v1.2.3_rc-1')).toBe(true);
    for (const bad of ['', '.hidden', '../x', 'a/b', 'a b', 'x'.repeat(129)]) expect(isValidReleaseId(bad)).toBe(false);
    expect(releaseIdOfRecordPath('_releases/v1.2.json')).toBe('v1.2');
    expect(releaseIdOfRecordPath('_releases/notes.txt')).toBeUndefined();
  });

  it('refuses a record it did not write, saying what to do', () => {
    expect(() => parseRecord('_releases/x.json', '{"id":"x"}')).toThrow(ConfigurationError);
    expect(() => parseRecord('_releases/x.json', 'not json')).toThrow(/_releases\/x\.json is not one this action wrote/);
    expect(parseRecord('k', JSON.stringify(r1))).toEqual(r1);
  });

  it('numbers a new release after the newest, and a re-published one too', () => {
    expect(nextSequence([], 'r1')).toBe(1);
    expect(nextSequence(all, 'r5')).toBe(5);
    expect(nextSequence(all, 'r4')).toBe(4);
    expect(nextSequence(all, 'r2')).toBe(5);
  });
});

describe('findLive', () => {
  it('is the newest release whose index is the served one', () => {
    expect(findLive(all, 'i4')?.id).toBe('r4');
    expect(findLive(all, 'i2')?.id).toBe('r3');
    expect(findLive(all, 'i1')?.id).toBe('r1');
  });

  it('is none when the index is missing or no release has it', () => {
    expect(findLive(all, undefined)).toBeUndefined();
    expect(findLive(all, 'other')).toBeUndefined();
  });
});

describe('pickRollbackTarget', () => {
  it('takes "previous" as the newest older release that serves a different site', () => {
    expect(pickRollbackTarget(all, r4, 'previous').id).toBe('r3');
    expect(pickRollbackTarget(all, r3, 'previous').id).toBe('r1');
    expect(pickRollbackTarget(all, r2, 'previous').id).toBe('r1');
  });

  it('takes a named release as it is', () => {
    expect(pickRollbackTarget(all, r4, 'r2').id).toBe('r2');
  });

  it('explains what can be restored when it cannot', () => {
    expect(() => pickRollbackTarget(all, r4, 'r9')).toThrow(
      'Release "r9" is not among the retained releases (newest first: r4, r3, r2, r1)',
    );
    expect(() => pickRollbackTarget(all, r1, 'previous')).toThrow('No retained release before the live one ("r1")');
    expect(() => pickRollbackTarget(all, undefined, 'previous')).toThrow(
      'Cannot tell which release is live (index.html matches no recorded release), so "previous" is ambiguous: ' +
        'set "rollback-to" to one of: r4, r3, r2, r1.',
    );
  });
});

describe('planRetention', () => {
  const objectPaths = ['index.html', 'assets/a1.js', 'assets/a2.js', 'assets/a4.js', 'assets/shared.js'];

  it('keeps the newest releases and deletes only what none of them uses', () => {
    const plan = planRetention({ records: all, retain: 2, protectedIds: ['r4', 'r3'], objectPaths });
    expect(plan.keptReleases).toEqual(['r4', 'r3']);
    expect(plan.prunedReleases).toEqual(['r2', 'r1']);
    expect(plan.deletePaths).toEqual(['assets/a1.js']);
  });

  it('keeps the release that was live before, however old (a rollback target still open in tabs)', () => {
    const plan = planRetention({ records: all, retain: 1, protectedIds: ['r4', 'r1'], objectPaths });
    expect(plan.keptReleases).toEqual(['r4', 'r1']);
    expect(plan.deletePaths).toEqual(['assets/a2.js']);
  });

  it('keeps unrecorded objects until there are as many recorded releases as are retained', () => {
    const withForeign = [...objectPaths, 'assets/old-sync-Ab12Cd34.js', 'legacy.txt'];
    const young = planRetention({ records: [r1, r2], retain: 3, protectedIds: ['r2', 'r1'], objectPaths: withForeign });
    expect(young.deletePaths).toEqual([]);
    const grown = planRetention({ records: [r1, r2, r3], retain: 3, protectedIds: ['r3', 'r2'], objectPaths: withForeign });
    expect(grown.deletePaths).toEqual(['assets/a4.js', 'assets/old-sync-Ab12Cd34.js', 'legacy.txt']);
  });

  it('deletes nothing while fewer releases exist than are retained', () => {
    const plan = planRetention({ records: all, retain: 5, protectedIds: ['r4'], objectPaths });
    expect(plan).toEqual({ keptReleases: ['r4', 'r3', 'r2', 'r1'], prunedReleases: [], deletePaths: [] });
  });
});
