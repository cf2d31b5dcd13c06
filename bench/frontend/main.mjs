// `npm run bench -- frontend`: a production build of the notebook app and what each route costs to load.
// Budgets: the notebook list's initial JavaScript ≤ 250 KB gzipped (issue 5); the partial Plotly chunk, which draws
// common figures, ≤ 500 KB gzipped (issue 22). The anchor is the same build loaded eagerly, everything up front (the
// seeds' single ~500 KB bundle, which today's Monaco and Plotly far exceed): the ratio says how much of it the list
// route does not pay for.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const BUDGET = 250_000;
const PLOTLY_PARTIAL_BUDGET = 500_000;
const repoRoot = fileURLToPath(new URL('../../', import.meta.url));
const outDir = await mkdtemp(join(tmpdir(), 'frontend-bench-'));

function build() {
  return new Promise((resolve, reject) => {
    const args = ['node_modules/vite/bin/vite.js', 'build', '--config', 'frontend/vite.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'];
    const child = spawn(process.execPath, args, { cwd: repoRoot, stdio: 'inherit' });
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`vite build exited with ${code}`))));
  });
}

const kb = (bytes) => `${(bytes / 1000).toFixed(1).padStart(8)} KB`;

/** What the browser loads before anything is lazily imported: the entry script and its modulepreloads. */
function initialScripts(html) {
  const sources = [...html.matchAll(/<script[^>]+type="module"[^>]+src="([^"]+)"/g), ...html.matchAll(/<link[^>]+rel="modulepreload"[^>]+href="([^"]+)"/g)];
  return [...new Set(sources.map((match) => match[1].replace(/^\//, '')))];
}

function label(file) {
  if (/monaco|editor\.worker|python|pgsql/.test(file)) return 'Monaco (lazy: opening a cell)';
  if (/plotly-cartesian/.test(file)) return 'Plotly partial (lazy: a common chart in view)';
  if (/plotly\.min/.test(file)) return 'Plotly full (lazy: a chart of other trace types in view)';
  if (/notebook-/.test(file)) return 'notebook page (lazy: opening a notebook)';
  return 'app (lazy)';
}

try {
  const started = performance.now();
  await build();
  console.log(`vite build: ${((performance.now() - started) / 1000).toFixed(1)}s`);
  const assets = join(outDir, 'assets');
  const files = (await readdir(assets)).filter((file) => file.endsWith('.js'));
  const sizes = new Map();
  for (const file of files) {
    const bytes = await readFile(join(assets, file));
    sizes.set(`assets/${file}`, { raw: bytes.length, gzip: gzipSync(bytes).length });
  }
  const initial = initialScripts(await readFile(join(outDir, 'index.html'), 'utf8'));
  const missing = initial.filter((file) => !sizes.has(file));
  if (missing.length) throw new Error(`index.html loads scripts that are not in the build: ${missing.join(', ')}`);

  const sum = (list) => list.reduce((total, file) => total + sizes.get(file).gzip, 0);
  const initialGzip = sum(initial);
  const everything = sum([...sizes.keys()]);

  console.log('\nJavaScript chunks (gzipped, raw):');
  for (const [file, size] of [...sizes].sort((a, b) => b[1].gzip - a[1].gzip)) {
    const where = initial.includes(file) ? 'initial (notebook list)' : label(file);
    console.log(`  ${kb(size.gzip)} ${kb(size.raw)}  ${file.padEnd(42)} ${where}`);
  }
  const lazy = (name) => sum([...sizes.keys()].filter((file) => !initial.includes(file) && label(file).startsWith(name)));
  const plotlyPartial = lazy('Plotly partial');
  console.log(`
notebook list, initial JS: ${kb(initialGzip)} gzipped   budget ${kb(BUDGET)}  ${initialGzip <= BUDGET ? 'OK' : 'OVER BUDGET'} (${((initialGzip / BUDGET) * 100).toFixed(0)}% of it)
Monaco, lazy:              ${kb(lazy('Monaco'))} gzipped
Plotly partial, lazy:      ${kb(plotlyPartial)} gzipped   budget ${kb(PLOTLY_PARTIAL_BUDGET)}  ${plotlyPartial <= PLOTLY_PARTIAL_BUDGET ? 'OK' : 'OVER BUDGET'}
Plotly full, lazy:         ${kb(lazy('Plotly full'))} gzipped
anchor, all JS eagerly:    ${kb(everything)} gzipped   → the list route loads ${((initialGzip / everything) * 100).toFixed(1)}% of it (${(everything / initialGzip).toFixed(1)}x less)`);
  if (initialGzip > BUDGET || plotlyPartial > PLOTLY_PARTIAL_BUDGET) process.exitCode = 1;
} finally {
  await rm(outDir, { recursive: true, force: true });
}
