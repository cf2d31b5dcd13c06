#!/usr/bin/env node
// The package is TypeScript run from source, as the rest of the repo: tsx loads it.
import { register } from 'tsx/esm/api';

register();
const { main } = await import('../src/cli.ts');
try {
  await main(process.argv.slice(2));
} catch (error) {
  console.error(`local-oidc: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}
