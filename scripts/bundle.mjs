// `npm run bundle`: rebuild every actions/<name>/dist from src/main.ts.
// `npm run check-dist`: fail when a committed dist differs from a fresh build.
// Either takes action names to limit the work: `npm run bundle -- deploy-ecs`.
import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildBundle, diffBundles } from './lib/bundle.mjs';
import { repoRoot } from './lib/repo.mjs';

// Module ids in the bundle come from paths relative to the working directory: build from the root, always.
process.chdir(repoRoot);

const args = process.argv.slice(2);
const check = args.includes('--check');
const wanted = args.filter((arg) => !arg.startsWith('--'));
const actions = existsSync('actions')
  ? readdirSync('actions').filter((name) => existsSync(join('actions', name, 'action.yml')))
  : [];
const unknown = wanted.filter((name) => !actions.includes(name));
if (unknown.length) {
  console.error(`error: no action named ${unknown.join(', ')}; actions: ${actions.join(', ') || 'none'}.`);
  process.exit(1);
}
const selected = wanted.length ? wanted : actions;
if (selected.length === 0) console.log('No actions to bundle yet (actions/<name>/action.yml).');

let stale = 0;
for (const name of selected) {
  const entry = join('actions', name, 'src', 'main.ts');
  const dist = join('actions', name, 'dist');
  if (!check) {
    const files = await buildBundle(entry, dist);
    console.log(`${dist}: ${files.join(', ')}`);
    continue;
  }
  const fresh = await mkdtemp(join(tmpdir(), `check-dist-${name}-`));
  try {
    await buildBundle(entry, fresh);
    const differences = await diffBundles(fresh, dist);
    if (differences.length) {
      stale++;
      console.error(`${dist} is not what the sources build:\n  ${differences.join('\n  ')}`);
    } else {
      console.log(`${dist}: matches a fresh build`);
    }
  } finally {
    await rm(fresh, { recursive: true, force: true });
  }
}
if (stale) {
  console.error(`\n${stale} bundle(s) out of date: run \`npm run bundle\` and commit actions/*/dist.`);
  process.exit(1);
}
