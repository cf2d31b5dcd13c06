// Builds one action entry into a folder with @vercel/ncc, the same way for `npm run bundle`, check-dist and tests.
import ncc from '@vercel/ncc';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';

/** Empties `outDir` first, so no chunk of an earlier build survives. Returns the written file names. */
export async function buildBundle(entry, outDir) {
  const { code, assets } = await ncc(resolve(entry), {
    minify: false,
    sourceMap: false,
    license: 'licenses.txt',
    quiet: true,
    // Type errors are tsc's job (npm run typecheck); the bundle only needs the transpiled code.
    transpileOnly: true,
  });
  await rm(outDir, { recursive: true, force: true });
  await mkdir(outDir, { recursive: true });
  const files = { 'index.js': code };
  for (const [name, asset] of Object.entries(assets ?? {})) files[name] = asset.source;
  for (const [name, content] of Object.entries(files)) {
    await mkdir(dirname(join(outDir, name)), { recursive: true });
    await writeFile(join(outDir, name), content);
  }
  return Object.keys(files).sort();
}

/** Files that differ between a fresh build (in `freshDir`) and the committed one: changed, missing or stale. */
export async function diffBundles(freshDir, committedDir) {
  const [fresh, committed] = await Promise.all([listFiles(freshDir), listFiles(committedDir)]);
  const differences = [];
  for (const name of fresh) {
    if (!committed.includes(name)) differences.push(`${name}: missing from the committed bundle`);
    else if (!(await readFile(join(freshDir, name))).equals(await readFile(join(committedDir, name)))) {
      differences.push(`${name}: differs from a fresh build`);
    }
  }
  for (const name of committed) if (!fresh.includes(name)) differences.push(`${name}: stale, a fresh build has no such file`);
  return differences;
}

async function listFiles(dir) {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile())
      .map((entry) => relative(dir, join(entry.parentPath, entry.name)))
      .sort();
  } catch (error) {
    if (error.code === 'ENOENT') return [];
    throw error;
  }
}
