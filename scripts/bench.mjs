// `npm run bench`: every benchmark; `npm run bench -- deploy-ecs` just one.
// A benchmark is bench/<name>/main.mjs (run with node through tsx, so it can import the TypeScript packages) or bench/<name>/main.py (run with the backend's venv);
// each measures its anchor in the same run and prints ratios against it.
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './lib/repo.mjs';
import { ensureNodeModules, ensureVenv, venvBin } from './lib/setup.mjs';
import { sh } from './lib/shell.mjs';

const benchDir = join(repoRoot, 'bench');
const all = existsSync(benchDir) ? readdirSync(benchDir).filter((name) => entryOf(name)).sort() : [];
const wanted = process.argv.slice(2);
const unknown = wanted.filter((name) => !all.includes(name));
if (unknown.length) {
  console.error(`error: no benchmark named ${unknown.join(', ')}; benchmarks: ${all.join(', ') || 'none'}.`);
  process.exit(2);
}

function entryOf(name) {
  return ['main.mjs', 'main.py'].map((file) => join(benchDir, name, file)).find((file) => existsSync(file));
}

await ensureNodeModules();
await ensureVenv();
for (const name of wanted.length ? wanted : all) {
  const entry = entryOf(name);
  console.log(`\n▶ bench ${name}`);
  if (entry.endsWith('.py')) await sh(venvBin('python'), [entry]);
  else await sh(process.execPath, ['--import', 'tsx', entry]);
}
