import { runActionBundle, type RunOptions, type RunResult } from '@notebook-ship/action-kit/testing';
import { readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FakeGitHub } from './fake-github';
import type { FakeTfc } from './fake-tfc';

/** The committed bundle, run the way the runner runs it. */
export const ENTRY = fileURLToPath(new URL('../dist/index.js', import.meta.url));

export interface PlanFixture {
  resource_changes: Array<{ address: string; change: { actions: string[]; after: Record<string, unknown> } }>;
}

export function planFixture(): PlanFixture {
  return JSON.parse(readFileSync(new URL('fixtures/plan-changes.json', import.meta.url), 'utf8')) as PlanFixture;
}

export interface Invocation {
  command: 'plan' | 'apply' | 'outputs';
  event: 'pull_request' | 'push';
  sha: string;
  pull?: number;
  inputs?: Record<string, string>;
  onSpawn?: RunOptions['onSpawn'];
}

/** Runs the action against the fake HCP Terraform and GitHub, with a 20 ms poll interval. */
export async function runAction(
  tfc: FakeTfc,
  github: FakeGitHub,
  directory: string,
  invocation: Invocation,
): Promise<RunResult> {
  const { command, event, sha, pull, inputs = {}, onSpawn } = invocation;
  const eventPath = join(await mkdtemp(join(tmpdir(), 'event-')), 'event.json');
  const payload = event === 'pull_request' ? { pull_request: { number: pull, head: { sha } } } : { after: sha };
  await writeFile(eventPath, JSON.stringify(payload));
  return runActionBundle(ENTRY, {
    inputs: {
      command,
      organization: tfc.scenario.organization,
      workspace: tfc.scenario.workspace,
      token: tfc.scenario.token,
      hostname: tfc.url,
      directory,
      'github-token': github.token,
      'poll-interval': '20ms',
      ...inputs,
    },
    env: {
      GITHUB_API_URL: github.url,
      GITHUB_SERVER_URL: 'https://github.com',
      GITHUB_REPOSITORY: `${github.owner}/${github.repo}`,
      GITHUB_EVENT_NAME: event,
      GITHUB_EVENT_PATH: eventPath,
      GITHUB_SHA: event === 'pull_request' ? `merge${sha.slice(5)}` : sha,
      GITHUB_RUN_ID: '4242',
    },
    onSpawn,
    timeoutMs: 60_000,
  });
}

export function fail(result: RunResult): string {
  return `exit ${result.exitCode}\nstdout:\n${result.stdout}\nstderr:\n${result.stderr}`;
}

/** Asserts the step ended with this exit code, showing its log when it did not. */
export function expectExit(result: RunResult, code: number): void {
  if (result.exitCode !== code) throw new Error(`expected exit ${code}, got ${fail(result)}`);
}
