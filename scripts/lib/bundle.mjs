// Builds one action entry into a folder with @vercel/ncc, the same way for `npm run bundle`, check-dist and tests.
import ncc from '@vercel/ncc';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';

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
