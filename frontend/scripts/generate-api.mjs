// src/api/schema.d.ts from the backend's OpenAPI schema (FastAPI builds it from the route and model definitions).
// `--check` fails when the committed file differs from a fresh generation, i.e. the backend changed without it.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';

const backend = fileURLToPath(new URL('../../backend/', import.meta.url));
const target = fileURLToPath(new URL('../src/api/schema.d.ts', import.meta.url));
const python = `${backend}.venv/bin/python`;
const HEADER = `// Generated from the backend's OpenAPI schema by \`npm run generate:api -w @notebook-ship/frontend\`; do not edit.\n\n`;

async function openApiSchema() {
  // A fixed version: the schema's info.version follows APP_VERSION, which must not make the check flaky.
  const { stdout } = await promisify(execFile)(
    python,
    ['-c', 'import json; from app.main import app; print(json.dumps(app.openapi()))'],
    { cwd: backend, env: { ...process.env, APP_VERSION: 'schema', ACCESS_TOKEN: '' }, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error) => {
    throw new Error(`could not read the OpenAPI schema with ${python} (run \`npm test\` once to create the venv): ${error.stderr || error.message}`);
  });
  return JSON.parse(stdout);
}

const fresh = HEADER + astToString(await openapiTS(await openApiSchema(), { defaultNonNullable: false }));

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== fresh) {
    console.error(
      `${target} is out of date with the backend's OpenAPI schema: run \`npm run generate:api -w @notebook-ship/frontend\` and commit the result.`,
    );
    process.exit(1);
  }
  console.log('generated API types are current');
} else {
  await writeFile(target, fresh);
  console.log(`wrote ${target}`);
}
