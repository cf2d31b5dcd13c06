// `npm start`: the set-up a fresh clone needs (node modules, the Python virtualenv), then the rehearsal of the deploy
// pipeline, packages/rehearsal, which is TypeScript and runs through tsx. `npm start -- --help` for the options.
import { ensureNodeModules, ensureVenv } from './lib/setup.mjs';

const setup = [];
for (const [name, run] of [
  ['setup: node modules', ensureNodeModules],
  ['setup: python venv', ensureVenv],
]) {
  console.log(`\n▶ ${name}`);
  const started = performance.now();
  try {
    await run();
  } catch (error) {
    console.error(`✗ ${name} failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  }
  setup.push({ name, result: 'passed', seconds: (performance.now() - started) / 1000 });
}

// Loaded only now: the set-up above installs tsx and the rehearsal's dependencies on a fresh clone.
const { register } = await import('tsx/esm/api');
register();
const { main } = await import('../packages/rehearsal/src/index.ts');
await main(process.argv.slice(2), setup);
