// `npm test`: every check and test suite of the repository, on a fresh clone, with its own set-up.
// `npm test -- jest pytest` runs only the named phases (set-up always runs).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { startOfflineAws } from '../terraform/tests/offline-aws.mjs';
import { runPhases } from './lib/phases.mjs';
import { repoRoot } from './lib/repo.mjs';
import { sh } from './lib/shell.mjs';
import { ensureNodeModules, ensureVenv, venvBin } from './lib/setup.mjs';
import { terraformEnv, terraformUnavailable } from './lib/terraform.mjs';
import { ensureTerraformCli, ensureTool, toolsDir } from './lib/tools.mjs';

const ci = process.env.CI === 'true';
const CHROMIUM = '/usr/bin/chromium';
const only = process.argv.slice(2);
const node = (args, env) => sh(process.execPath, args, { env });

const setup = [
  { name: 'setup: node modules', run: ensureNodeModules, fatal: true },
  { name: 'setup: python venv', run: ensureVenv, fatal: true },
  { name: 'setup: tools', run: () => ensureTool('actionlint'), fatal: true },
];

/** Runs each `[label, () => [command, args]]` in terraform/ and prints how long it took. */
async function terraformSteps(phase, steps, env = {}) {
  for (const [label, command] of steps) {
    const started = performance.now();
    await sh(...command(), { cwd: 'terraform', env });
    console.log(`${phase}: ${label} passed in ${((performance.now() - started) / 1000).toFixed(1)}s`);
  }
}

const suites = [
  { name: 'eslint', run: () => node(['node_modules/eslint/bin/eslint.js', '.', '--max-warnings=0']) },
  { name: 'typecheck', run: () => node(['node_modules/typescript/bin/tsc', '-p', '.']) },
  {
    name: 'ruff',
    run: async () => {
      await sh(venvBin('ruff'), ['check', '.', '../scripts'], { cwd: 'backend' });
      await sh(venvBin('ruff'), ['format', '--check', '.', '../scripts'], { cwd: 'backend' });
    },
  },
  // Strict, over backend/app; the configuration is [tool.mypy] in backend/pyproject.toml.
  { name: 'mypy', run: () => sh(venvBin('mypy'), [], { cwd: 'backend' }) },
  { name: 'actionlint', run: () => sh(ensureTool('actionlint'), ['-color', '-shellcheck', ensureTool('shellcheck')]) },
  { name: 'check-dist', run: () => node(['scripts/bundle.mjs', '--check']) },
  {
    name: 'jest',
    run: () =>
      node(['--experimental-vm-modules', '--disable-warning=ExperimentalWarning', 'node_modules/jest/bin/jest.js'], {
        ...(ci ? { JEST_CI: 'true' } : {}),
      }),
  },
  { name: 'pytest', run: () => sh(venvBin('pytest'), [], { cwd: 'backend' }) },
  { name: 'dockerfile', run: () => sh(ensureTool('hadolint'), ['backend/Dockerfile']) },
  {
    // The generated API types must match the backend's OpenAPI document (packages/api-schema).
    name: 'frontend',
    run: async () => {
      await node(['node_modules/typescript/bin/tsc', '-p', 'frontend']);
      await node(['node_modules/vitest/vitest.mjs', 'run', '--config', 'frontend/vitest.config.ts']);
      await node(['packages/api-schema/scripts/generate.mjs', '--check']);
    },
  },
  {
    // A production build, then Chromium against it and the real backend (frontend/e2e).
    name: 'browser',
    unavailable: () =>
      existsSync(CHROMIUM) ? undefined : `Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium)`,
    run: async () => {
      await node(['node_modules/vite/bin/vite.js', 'build', '--config', 'frontend/vite.config.ts']);
      await node(['node_modules/vitest/vitest.mjs', 'run', '--config', 'frontend/vitest.e2e.config.ts']);
    },
  },
  {
    // `npm start` end to end: every stage against the embedded AWS, the notebook in Chromium, then Ctrl-C.
    name: 'rehearsal',
    unavailable: () =>
      existsSync(CHROMIUM) ? undefined : `Chromium is not installed at ${CHROMIUM} (Debian: apt-get install chromium)`,
    run: () => node(['node_modules/vitest/vitest.mjs', 'run', '--config', 'packages/rehearsal/vitest.e2e.config.mjs']),
  },
  {
    // Static checks, no providers needed. Each tool installs on first use, then is cached.
    name: 'terraform',
    run: () =>
      terraformSteps('terraform', [
        ['fmt', () => [ensureTerraformCli(), ['fmt', '-check', '-diff', '-recursive']]],
        // --recursive: modules/ too, each with the root's rules.
        ['tflint', () => [ensureTool('tflint'), ['--recursive', `--config=${join(repoRoot, 'terraform', '.tflint.hcl')}`, '--format=compact', '--minimum-failure-severity=notice']]],
        ['checkov', () => [ensureTool('checkov'), ['-d', '.', '--framework', 'terraform', '--compact', '--quiet', '--skip-download']]],
        ['terraform-docs', () => [ensureTool('terraform-docs'), ['--output-check', '.']]],
      ]),
  },
  {
    // Real terraform with hashicorp/aws from the machine's provider mirror, exactly as the committed lock pins it
    // (-lockfile=readonly fails instead of updating it); its working data lives in .tools/, so the tree stays clean.
    // terraform/tests plan offline against the stand-in for the one AWS call they make (tests/offline-aws.mjs).
    name: 'terraform-test',
    unavailable: () =>
      terraformUnavailable() ??
      (spawnSync('terraform', ['version'], { stdio: 'ignore' }).error
        ? 'terraform (1.11 or later) is not on PATH: https://developer.hashicorp.com/terraform/install'
        : undefined),
    run: async () => {
      const aws = await startOfflineAws();
      try {
        await terraformSteps(
          'terraform-test',
          [
            ['init', () => ['terraform', ['init', '-backend=false', '-lockfile=readonly']]],
            ['validate', () => ['terraform', ['validate']]],
            ['test', () => ['terraform', ['test']]],
          ],
          { ...terraformEnv(), TF_DATA_DIR: join(toolsDir, 'terraform', 'npm-test'), AWS_ENDPOINT_URL: aws.endpoint },
        );
      } finally {
        await aws.close();
      }
    },
  },
];

const unknown = only.filter((name) => !suites.some((suite) => suite.name === name));
if (unknown.length) {
  console.error(`error: unknown phase ${unknown.join(', ')}; phases: ${suites.map((suite) => suite.name).join(', ')}.`);
  process.exit(2);
}
const selected = only.length ? suites.filter((suite) => only.includes(suite.name)) : suites;
const { ok } = await runPhases([...setup, ...selected], { ci });
process.exitCode = ok ? 0 : 1;
