// src/schema.d.ts from the backend's OpenAPI document (FastAPI builds it from the routes and the pydantic models, the
// WebSocket protocol's messages included). `--check` fails when the committed file differs from a fresh generation,
// i.e. the backend changed without it.
import { execFile } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import openapiTS, { astToString } from 'openapi-typescript';

const backend = fileURLToPath(new URL('../../../backend/', import.meta.url));
const target = fileURLToPath(new URL('../src/schema.d.ts', import.meta.url));
const python = `${backend}.venv/bin/python`;
const COMMAND = 'npm run generate -w @notebook-ship/api-schema';
const HEADER = `// Generated from the backend's OpenAPI document by \`${COMMAND}\`; do not edit.\n\n`;

async function openApiDocument() {
  // A fixed version: the document's info.version follows APP_VERSION, which must not make the check flaky.
  const { stdout } = await promisify(execFile)(
    python,
    ['-c', 'import json; from app.main import app; print(json.dumps(app.openapi()))'],
    { cwd: backend, env: { ...process.env, APP_VERSION: 'schema', ACCESS_TOKEN: '' }, maxBuffer: 16 * 1024 * 1024 },
  ).catch((error) => {
    throw new Error(`could not read the OpenAPI document with ${python} (run \`npm test\` once to create the venv): ${error.stderr || error.message}`);
  });
  return JSON.parse(stdout);
}

const fresh = HEADER + astToString(await openapiTS(await openApiDocument(), { defaultNonNullable: false }));

if (process.argv.includes('--check')) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== fresh) {
    console.error(`${target} is out of date with the backend's OpenAPI document: run \`${COMMAND}\` and commit the result.`);
    process.exit(1);
  }
  console.log('generated API types are current');
} else {
  await writeFile(target, fresh);
  console.log(`wrote ${target}`);
}
