// The action kit's runner harness and the local AWS (moto runner, scripted ECS fake), for plain node: `npm start`
// runs the action bundles exactly the way the tests do, with the same code. Both are TypeScript, so the modules are
// transpiled with swc (no type check: tsc does that) into one temporary folder, imported, and the folder removed.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { transformFile } from '@swc/core';
import { repoRoot } from '../lib/repo.mjs';
import { venvBin } from '../lib/setup.mjs';

const testingDir = join(repoRoot, 'packages', 'action-kit', 'src', 'testing');
const localAwsDir = join(repoRoot, 'packages', 'local-aws', 'src');
// Only node builtins and each other (within one folder): they run from anywhere, with distinct names in one folder.
const MODULES = [
  { dir: testingDir, name: 'file-commands' },
  { dir: testingDir, name: 'runner' },
  { dir: localAwsDir, name: 'moto' },
  { dir: localAwsDir, name: 'fake-ecs' },
];

let loading;

/** @returns {Promise<import('./kit.d.mts').Kit>} */
export function loadKit() {
  loading ??= compileAndImport();
  return loading;
}

async function compileAndImport() {
  const out = await mkdtemp(join(tmpdir(), 'notebook-ship-kit-'));
  try {
    for (const { dir, name } of MODULES) {
      const { code } = await transformFile(join(dir, `${name}.ts`), {
        jsc: { parser: { syntax: 'typescript' }, target: 'es2022', baseUrl: dir },
        // `./file-commands` becomes `./file-commands.mjs`: node's ESM loader needs the extension.
        module: { type: 'es6', resolveFully: true, outFileExtension: 'mjs' },
      });
      await writeFile(join(out, `${name}.mjs`), code);
    }
    const modules = await Promise.all(MODULES.map(({ name }) => import(pathToFileURL(join(out, `${name}.mjs`)).href)));
    const { runActionBundle, startMoto, freePort, startFakeEcs, parseWorkflowCommands } = Object.assign({}, ...modules);
    return {
      runActionBundle,
      // Transpiled elsewhere, the fixture cannot find the repository's virtualenv by itself: name its moto_server.
      startMoto: (options) => {
        process.env.MOTO_SERVER ??= venvBin('moto_server');
        return startMoto(options);
      },
      freePort,
      startFakeEcs,
      parseWorkflowCommands,
    };
  } finally {
    await rm(out, { recursive: true, force: true });
  }
}
