// Pinned command-line tools, installed on demand into the git-ignored .tools/ and reused across runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from './repo.mjs';

export const TOOLS = {
  actionlint: { go: 'github.com/rhysd/actionlint/cmd/actionlint', version: 'v1.7.12' },
  tflint: { go: 'github.com/terraform-linters/tflint', version: 'v0.64.0' },
  checkov: { pip: 'checkov', version: '3.3.30' },
};

export const toolsDir = join(repoRoot, '.tools');
const binDir = join(toolsDir, 'bin');

function run(command, args, env = {}) {
  const result = spawnSync(command, args, { stdio: ['ignore', 'inherit', 'pipe'], env: { ...process.env, ...env } });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr.toString().trim()}`);
  }
}

/** Returns the path of the pinned tool, installing it first when it is missing or another version. */
export function ensureTool(name) {
  const tool = TOOLS[name];
  if (!tool) throw new Error(`Unknown tool "${name}"; known tools: ${Object.keys(TOOLS).join(', ')}.`);
  const executable = join(binDir, name);
  const stamp = join(toolsDir, `${name}.version`);
  if (existsSync(executable) && existsSync(stamp) && readFileSync(stamp, 'utf8').trim() === tool.version) {
    return executable;
  }
  mkdirSync(binDir, { recursive: true });
  console.log(`Installing ${name} ${tool.version} into .tools/ ...`);
  if (tool.go) {
    run('go', ['install', `${tool.go}@${tool.version}`], { GOBIN: binDir, GOFLAGS: '-mod=mod' });
  } else {
    const venv = join(toolsDir, `${name}-venv`);
    rmSync(venv, { recursive: true, force: true });
    run('python3', ['-m', 'venv', venv]);
    run(join(venv, 'bin', 'pip'), ['install', '--quiet', '--disable-pip-version-check', `${tool.pip}==${tool.version}`]);
    rmSync(executable, { force: true });
    symlinkSync(join(venv, 'bin', name), executable);
  }
  writeFileSync(stamp, `${tool.version}\n`);
  return executable;
}
