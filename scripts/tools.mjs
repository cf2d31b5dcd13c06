// `npm run tools -- actionlint tflint`: installs the named pinned tools (all when none is named) and prints their paths.
import { TOOLS, ensureTool } from './lib/tools.mjs';

const names = process.argv.slice(2);
try {
  for (const name of names.length ? names : Object.keys(TOOLS)) console.log(`${name}: ${ensureTool(name)}`);
} catch (error) {
  console.error(`error: ${error.message}`);
  process.exitCode = 1;
}
