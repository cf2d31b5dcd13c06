// A job of `run:` steps (deploy.yml's last one, which says what production runs): each script run with bash as the
// runner runs it, its `env:` evaluated, GITHUB_STEP_SUMMARY a file whose text is shown; steps that only prepare a
// runner (checkout) are not played. A script that fails fails the job with its ::error messages.
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { evaluateMap, type Contexts, type Job } from '@notebook-ship/workflows';

export async function playScriptJob(
  job: Job,
  contexts: Contexts,
  { cwd, workDir, log, name }: { cwd: string; workDir: string; log: (line: string) => void; name: string },
): Promise<{ outputs: Record<string, string> }> {
  for (const step of job.steps ?? []) {
    if (!step.run) {
      log(`  ┆ not played here (runner set-up): ${step.uses?.replace(/@.*$/, '') ?? step.name ?? 'step'}`);
      continue;
    }
    const summary = join(workDir, `summary-${name}.md`);
    await writeFile(summary, '');
    const env = { PATH: process.env.PATH ?? '', ...evaluateMap(step.env, contexts), GITHUB_STEP_SUMMARY: summary };
    const { code, output } = await new Promise<{ code: number | null; output: string }>((resolve, reject) => {
      const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run as string], { cwd, env });
      let text = '';
      child.stdout.on('data', (chunk) => (text += String(chunk)));
      child.stderr.on('data', (chunk) => (text += String(chunk)));
      child.once('error', reject);
      child.once('close', (exit) => resolve({ code: exit, output: text }));
    });
    for (const line of output.trimEnd().split('\n').filter(Boolean)) log(`  ┆ ${line}`);
    for (const line of (await readFile(summary, 'utf8')).trimEnd().split('\n')) log(`  ┆ summary: ${line}`);
    if (code !== 0) {
      const errors = [...output.matchAll(/^::error(?: title=([^:]*))?::(.*)$/gm)].map(([, title, message]) => (title ? `${title}: ${message}` : message));
      throw new Error(errors.length ? errors.join('\n') : `"${step.name ?? 'run'}" exited with code ${code}`);
    }
  }
  return { outputs: {} };
}
