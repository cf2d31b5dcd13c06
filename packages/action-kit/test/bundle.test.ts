import { beforeAll, describe, expect, it } from '@jest/globals';
import { cp, mkdtemp, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle, diffBundles } from '../../../scripts/lib/bundle.mjs';

// What `npm run bundle` and `npm run check-dist` rely on, shown on the fixture action.
const entry = fileURLToPath(new URL('fixtures/echo-action/main.ts', import.meta.url));
let fresh: string;
beforeAll(async () => {
  fresh = await mkdtemp(join(tmpdir(), 'fresh-'));
  await buildBundle(entry, fresh);
}, 120_000);

async function committedCopy(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'committed-'));
  await cp(fresh, dir, { recursive: true });
  return dir;
}

describe('buildBundle', () => {
  it('writes an ESM bundle with its package.json and licenses, clearing what was there', async () => {
    const dir = await committedCopy();
    await writeFile(join(dir, '123.index.js'), 'stale chunk');
    expect(await buildBundle(entry, dir)).toEqual(['index.js', 'licenses.txt', 'package.json']);
    expect((await readdir(dir)).sort()).toEqual(['index.js', 'licenses.txt', 'package.json']);
  }, 120_000);
});

describe('diffBundles', () => {
  it('finds nothing when the committed bundle is a fresh build', async () => {
    expect(await diffBundles(fresh, await committedCopy())).toEqual([]);
  });

  it('names a changed, a stale and a missing file', async () => {
    const dir = await committedCopy();
    await writeFile(join(dir, 'index.js'), '// edited by hand\n');
    await writeFile(join(dir, '456.index.js'), 'left from an old build');
    await writeFile(join(fresh, 'extra.js'), 'new in this build');
    try {
      expect(await diffBundles(fresh, dir)).toEqual([
        'extra.js: missing from the committed bundle',
        'index.js: differs from a fresh build',
        '456.index.js: stale, a fresh build has no such file',
      ]);
    } finally {
      await buildBundle(entry, fresh);
    }
  }, 120_000);

  it('treats a missing dist as every file missing', async () => {
    expect(await diffBundles(fresh, join(fresh, 'nowhere'))).toEqual([
      'index.js: missing from the committed bundle',
      'licenses.txt: missing from the committed bundle',
      'package.json: missing from the committed bundle',
    ]);
  });
});
