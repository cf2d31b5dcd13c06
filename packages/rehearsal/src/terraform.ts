// The real terraform/ applied with the real hashicorp/aws provider against the local AWS, from a working copy: the
// configuration is untouched, only a provider override (endpoints, dummy credentials, a local backend instead of
// HCP Terraform) is added beside it, as `terraform apply` runs in the workspace of a real deploy.
import { spawn } from 'node:child_process';
import { cp } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { repoRoot } from '../../../scripts/lib/repo.mjs';
import { terraformEnv } from '../../../scripts/lib/terraform.mjs';
import { stopChild, type Supervisor } from './processes';

const terraformDir = join(repoRoot, 'terraform');
/** Not part of the configuration: local working files, and the tests. */
const NOT_COPIED = new Set(['.terraform', 'test', 'tests', 'terraform.tfstate', 'terraform.tfstate.backup']);

export interface TerraformOptions {
  /** Where the working copy goes (`<workDir>/terraform`). */
  workDir: string;
  /** Writes the provider override file into the copy (endpoints of the local AWS, a local backend). */
  writeOverride: (dir: string) => Promise<unknown> | unknown;
  /** -var values, like the workspace's Terraform variables. */
  variables: Record<string, string>;
  supervisor: Supervisor;
  print: (line: string) => void;
}

export interface Terraform {
  dir: string;
  run: (args: string[], options?: { quiet?: boolean; okCodes?: number[] }) => Promise<{ code: number; stdout: string }>;
}

/** A working copy of terraform/ with the override, and a runner for terraform commands in it. */
export async function prepareTerraform({ workDir, writeOverride, variables, supervisor, print }: TerraformOptions): Promise<Terraform> {
  const dir = join(workDir, 'terraform');
  await cp(terraformDir, dir, { recursive: true, filter: (source) => !NOT_COPIED.has(basename(source)) });
  await writeOverride(dir);
  const env = {
    ...process.env,
    ...terraformEnv(),
    ...Object.fromEntries(Object.entries(variables).map(([name, value]) => [`TF_VAR_${name}`, value])),
  };
  const run: Terraform['run'] = (args, { quiet = false, okCodes = [0] } = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn('terraform', [...args], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise((done) => child.once('exit', done));
      const untrack = supervisor.track(`terraform ${args[0]}`, () => stopChild(child, exited, 30_000), child.pid);
      let stdout = '';
      let stderr = '';
      let pending = '';
      child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
        stdout += chunk;
        if (quiet) return;
        const lines = (pending + chunk).split('\n');
        pending = lines.pop() ?? '';
        for (const line of lines) print(`  │ ${line}`);
      });
      child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
      child.once('error', (error) => {
        untrack();
        reject(new Error(`terraform could not start (${error.message}): install Terraform 1.11 or later`));
      });
      child.once('close', (code) => {
        untrack();
        if (!quiet && pending) print(`  │ ${pending}`);
        if (okCodes.includes(code ?? -1)) return resolve({ code: code ?? 0, stdout });
        reject(new Error(`terraform ${args.join(' ')} failed (exit ${code}):\n${stderr.trim() || stdout.trim().split('\n').slice(-20).join('\n')}`));
      });
    });
  return { dir, run };
}

/** Terraform's own closing line of an apply, e.g. `Apply complete! Resources: 70 added, 0 changed, 0 destroyed.` */
export function applySummary(stdout: string): string {
  const line = stdout.split('\n').find((text) => text.startsWith('Apply complete!'));
  if (!line) throw new Error('terraform apply printed no "Apply complete!" line');
  return line.trim();
}

/** `terraform output -json` as the workspace's outputs: name to value. */
export function outputValues(json: string): Record<string, unknown> {
  const parsed = JSON.parse(json) as Record<string, { value: unknown }>;
  return Object.fromEntries(Object.entries(parsed).map(([name, output]) => [name, output.value]));
}
