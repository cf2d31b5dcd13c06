import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ChildProcess } from 'node:child_process';
import { expectExit, planFixture, runAction } from './bundle-run';
import { makeConfigTree } from './config-tree';
import { FakeGitHub } from './fake-github';
import { defaultScenario, FakeTfc, type Scenario } from './fake-tfc';

// The committed bundle applying merged commits: it must apply exactly what was reviewed on the pull request.

const tfc = new FakeTfc();
const github = new FakeGitHub();
let directory: string;

beforeAll(async () => {
  await Promise.all([tfc.start(), github.start()]);
  directory = await makeConfigTree();
});
afterAll(async () => {
  await Promise.all([tfc.stop(), github.stop()]);
});

const OUTPUTS = [
  { name: 'bucket_name', sensitive: false, value: 'notebook-logs' },
  { name: 'db_password', sensitive: true, value: 'new-db-password-456' },
  { name: 'endpoints', sensitive: false, value: { api: 'https://api.notebook.example.com', ws: 'wss://ws.notebook.example.com' } },
];

function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return defaultScenario({
    planJson: planFixture(),
    planCounts: { additions: 2, changes: 2, destructions: 2 },
    outputs: OUTPUTS,
    ...overrides,
  });
}

let counter = 0;
/** A commit SHA per test, so pull requests of commits never mix. */
function sha(): string {
  counter++;
  return `${counter.toString(16).padStart(8, '0')}${'c0ffee'.repeat(5)}00`;
}

/** Plans `head` on pull request `pull` (the reviewed plan), then merges it as `merge`. */
async function reviewAndMerge(pull: number, planJson: unknown = planFixture()): Promise<string> {
  const head = sha();
  const merge = sha();
  tfc.reset(scenario({ planJson }));
  const planned = await runAction(tfc, github, directory, { command: 'plan', event: 'pull_request', sha: head, pull });
  expectExit(planned, 0);
  github.pulls.set(merge, [{ number: pull, title: 'Scale the notebook service', merged_at: '2025-03-01T10:00:00Z', merge_commit_sha: merge }]);
  return merge;
}

const apply = (commit: string, inputs: Record<string, string> = {}, onSpawn?: (child: ChildProcess) => void) =>
  runAction(tfc, github, directory, { command: 'apply', event: 'push', sha: commit, inputs, onSpawn });

describe('apply on main', () => {
  it('waits for a locked workspace, applies the reviewed plan, reports it, and outputs the workspace outputs', async () => {
    const merge = await reviewAndMerge(7);
    const reviewedDigest = github.commentsOn(7)[0]?.body.match(/terraform-cloud-fingerprint (sha256:[0-9a-f]+)/)?.[1];
    tfc.reset(
      scenario({
        lockedReads: 3,
        planStatuses: ['pending', 'planning', 'planned', 'cost_estimating', 'cost_estimated', 'policy_checking', 'policy_checked'],
        outputsProcessingReads: 1,
        stateProcessingReads: 1,
      }),
    );
    const result = await apply(merge);
    expectExit(result, 0);

    const runId = result.outputs['run-id'] as string;
    expect(result.stdout).toContain(
      'Workspace acme/notebook-prod is locked by user user-Maintainer1 (state surgery); waiting for it to be unlocked.',
    );
    expect(result.stdout).toMatch(/Workspace unlocked after \d+ms\./);
    const run = tfc.runs.get(runId);
    expect(run).toMatchObject({ planOnly: false, autoApply: false });
    expect(run?.message).toBe(`Apply from acme/notebook at ${merge.slice(0, 7)} (https://github.com/acme/notebook/actions/runs/4242)`);
    expect(tfc.configurationVersions.get(run?.configurationVersion as string)).toEqual({ speculative: false, autoQueueRuns: false });
    expect(tfc.actions).toEqual([
      {
        runId,
        action: 'apply',
        comment: `Applied by GitHub Actions: The plan matches the one reviewed on PR #7 (${reviewedDigest?.slice(0, 19)}…).`,
        status: 'policy_checked',
      },
    ]);

    expect(result.outputs).toMatchObject({
      'run-id': runId,
      status: 'applied',
      'has-changes': 'true',
      add: '2',
      change: '2',
      destroy: '2',
      replace: '1',
      'plan-fingerprint': reviewedDigest,
    });
    expect(JSON.parse(result.outputs.outputs as string)).toEqual({
      bucket_name: 'notebook-logs',
      db_password: 'new-db-password-456',
      endpoints: { api: 'https://api.notebook.example.com', ws: 'wss://ws.notebook.example.com' },
    });
    expect(tfc.apiCalls()).toContain('GET /state-version-outputs/wsout-1');
    expect(tfc.apiCalls()).not.toContain('GET /state-version-outputs/wsout-0');
    const lines = result.stdout.split('\n');
    expect(lines).toContain('::add-mask::new-db-password-456');
    expect(lines.filter((line) => line.includes('new-db-password-456'))).toEqual(['::add-mask::new-db-password-456']);

    const body = github.commentsOn(7)[0]?.body as string;
    expect(body).toContain(`#### ✅ Applied to \`acme/notebook-prod\` from commit \`${merge.slice(0, 7)}\` in [${runId}](`);
    expect(body).toContain('2 added, 2 changed, 2 destroyed');
    expect(body).toContain(`<!-- terraform-cloud-fingerprint ${reviewedDigest} -->`);
    expect(result.summary).toContain('| `db_password` | sensitive (masked) |');
    expect(result.summary).toContain('| `endpoints` | object |');
  });

  it('discards a plan that differs from the reviewed one and fails naming the difference', async () => {
    const merge = await reviewAndMerge(8);
    const drifted = planFixture();
    (drifted.resource_changes.find((item) => item.address === 'aws_ecs_service.app')?.change.after as Record<string, unknown>).desired_count = 3;
    tfc.reset(scenario({ planJson: drifted }));
    const result = await apply(merge);
    expectExit(result, 1);

    const runId = result.outputs['run-id'] as string;
    expect(result.errors).toEqual([
      `The plan differs from the one reviewed on PR #8; run ${runId} was discarded.\n  aws_ecs_service.app: planned values differ (update)`,
    ]);
    expect(result.outputs.status).toBe('discarded');
    expect(tfc.actions.filter((action) => action.runId === runId)).toEqual([
      { runId, action: 'discard', comment: 'Not applied by GitHub Actions: The plan differs from the one reviewed on PR #8.', status: 'planned' },
    ]);
    const body = github.commentsOn(8)[0]?.body as string;
    expect(body).toContain(`#### ⛔ Not applied to \`acme/notebook-prod\` from commit \`${merge.slice(0, 7)}\`: [${runId}](`);
    expect(body).toContain('- `aws_ecs_service.app: planned values differ (update)`');
  });

  it('refuses a commit without a reviewed plan before creating any run', async () => {
    tfc.reset(scenario());
    const runsBefore = tfc.runs.size;
    const commit = sha();
    const result = await apply(commit);
    expectExit(result, 1);
    expect(result.errors).toEqual([
      `Not applying: commit ${commit.slice(0, 7)} was not merged from a pull request. Merge changes through a pull request planned by this action (command: plan), or set "require-reviewed-plan: false" to apply unreviewed commits.`,
    ]);
    expect(tfc.runs.size).toBe(runsBefore);
  });

  it('applies an unreviewed commit with a warning when a reviewed plan is not required', async () => {
    tfc.reset(scenario());
    const result = await apply(sha(), { 'require-reviewed-plan': 'false' });
    expectExit(result, 0);
    expect(result.outputs.status).toBe('applied');
    expect(result.commands.filter((command) => command.command === 'warning').map((command) => command.message)).toEqual([
      expect.stringMatching(/^Applying without a reviewed plan \(require-reviewed-plan is false\): commit [0-9a-f]{7} was not merged from a pull request\.$/),
    ]);
  });

  it('discards a run whose policy needs an override, rather than leave it blocking the workspace', async () => {
    tfc.reset(scenario({ planStatuses: ['pending', 'planning', 'planned', 'policy_checking', 'policy_override'] }));
    const result = await apply(sha(), { 'require-reviewed-plan': 'false' });
    expectExit(result, 1);
    const runId = result.outputs['run-id'] as string;
    expect(result.errors[0]).toBe(
      `A Sentinel policy soft-failed: the run needs an override in HCP Terraform, which this action never gives; discarded ${runId} (was policy_override). ${tfc.url}/app/acme/workspaces/notebook-prod/runs/${runId}`,
    );
    expect(tfc.actions.filter((action) => action.runId === runId).map((action) => action.action)).toEqual(['discard']);
  });

  it('fails on an errored apply with the error from its log, on the pull request too', async () => {
    const merge = await reviewAndMerge(9);
    tfc.reset(
      scenario({
        applyStatuses: ['confirmed', 'applying', 'errored'],
        applyLog: 'aws_s3_bucket.logs: Creating...\n\nError: creating S3 Bucket (notebook-logs): BucketAlreadyExists\n',
      }),
    );
    const result = await apply(merge);
    expectExit(result, 1);
    const runId = result.outputs['run-id'] as string;
    expect(result.errors).toEqual([
      `Run ${runId} ended errored: Error: creating S3 Bucket (notebook-logs): BucketAlreadyExists (${tfc.url}/app/acme/workspaces/notebook-prod/runs/${runId})`,
    ]);
    const body = github.commentsOn(9)[0]?.body as string;
    expect(body).toContain(`#### ❌ Apply to \`acme/notebook-prod\` from commit \`${merge.slice(0, 7)}\` ended \`errored\``);
    expect(body).toContain('Error: creating S3 Bucket (notebook-logs): BucketAlreadyExists');
  });

  it('outputs the current outputs when the merged plan has no changes', async () => {
    tfc.reset(scenario({ planStatuses: ['pending', 'planning', 'planned_and_finished'], hasChanges: false }));
    const result = await apply(sha(), { 'require-reviewed-plan': 'false' });
    expectExit(result, 0);
    expect(result.outputs.status).toBe('planned_and_finished');
    expect(result.outputs['has-changes']).toBe('false');
    expect(Object.keys(JSON.parse(result.outputs.outputs as string))).toEqual(['bucket_name', 'db_password', 'endpoints']);
    expect(tfc.actions.filter((action) => action.runId === result.outputs['run-id'])).toEqual([]);
  });

  it('cancels its run when the job is cancelled', async () => {
    tfc.reset(scenario({ planStatuses: ['pending', 'planning'] }));
    let timer: NodeJS.Timeout | undefined;
    const result = await apply(sha(), { 'require-reviewed-plan': 'false' }, (child) => {
      timer = setInterval(() => {
        const planning = [...tfc.runs.values()].some((run) => run.status === 'planning');
        if (planning && child.exitCode === null) {
          child.kill('SIGINT');
          clearInterval(timer);
        }
      }, 10);
    });
    clearInterval(timer);
    expectExit(result, 1);
    const cancelled = tfc.actions.at(-1);
    expect(cancelled).toMatchObject({ action: 'cancel', status: 'planning', comment: 'Stopped by GitHub Actions: the workflow job was cancelled (SIGINT)' });
    expect(result.errors).toEqual([`The job was cancelled (SIGINT): cancelled ${cancelled?.runId} (was planning).`]);
  });
});

describe('apply when the plan token may not read the JSON plan (no admin access, as the setup guide has it)', () => {
  const PLAN_TOKEN = 'tfc-plan-only-team-token';
  const jsonReads = (planId: string) =>
    tfc.requests
      .filter((request) => request.path === `/api/v2/plans/${planId}/json-output`)
      .map((request) => request.headers.authorization?.replace(/^Bearer /, ''));

  /** Plans PR `pull` with the plan-only token, which the JSON plan endpoint answers `denied`, then merges it. */
  async function reviewCountsOnly(pull: number, denied: 403 | 404): Promise<{ merge: string; prRun: string }> {
    const head = sha();
    const merge = sha();
    tfc.reset(scenario({ planOnlyTokens: { [PLAN_TOKEN]: denied } }));
    const planned = await runAction(tfc, github, directory, {
      command: 'plan',
      event: 'pull_request',
      sha: head,
      pull,
      inputs: { token: PLAN_TOKEN },
    });
    expectExit(planned, 0);
    const prRun = planned.outputs['run-id'] as string;
    expect(planned.outputs['plan-fingerprint']).toBe('');
    expect(planned.stdout).toContain(`the token may not read the JSON plan (HTTP ${denied};`);
    expect(jsonReads(`plan-${prRun.slice('run-'.length)}`)).toEqual([PLAN_TOKEN]);
    const body = github.commentsOn(pull)[0]?.body as string;
    expect(body).not.toContain('terraform-cloud-fingerprint');
    expect(body).toContain(`<!-- terraform-cloud-run ${prRun} -->`);
    expect(body).toContain(`the apply on main will read the JSON plan of ${prRun} with its own token`);
    github.pulls.set(merge, [{ number: pull, title: 'Scale the notebook service', merged_at: '2025-03-01T10:00:00Z', merge_commit_sha: merge }]);
    return { merge, prRun };
  }

  it("computes the reviewed fingerprint from the PR's run with the admin token, and applies a match", async () => {
    const { merge, prRun } = await reviewCountsOnly(20, 404);
    tfc.reset(scenario({ planOnlyTokens: { [PLAN_TOKEN]: 404 } }));
    const result = await apply(merge);
    expectExit(result, 0);

    const runId = result.outputs['run-id'] as string;
    const digest = result.outputs['plan-fingerprint'] as string;
    expect(digest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(jsonReads(`plan-${prRun.slice('run-'.length)}`)).toEqual([PLAN_TOKEN, tfc.scenario.token]);
    expect(tfc.apiCalls()).toContain(`GET /runs/${prRun}`);
    expect(result.stdout).toContain(
      `Reviewed plan: PR #20 (https://github.com/acme/notebook/pull/20#issuecomment-${github.commentsOn(20)[0]?.id}), ${digest}, computed at apply time from ${prRun} because the plan token could not read its JSON plan.`,
    );
    const note =
      `The plan matches the one reviewed on PR #20 in ${prRun} (${digest.slice(0, 19)}…). The reviewed fingerprint ` +
      `was computed at apply time from ${prRun}, because the plan token could not read its JSON plan.`;
    expect(tfc.actions.filter((action) => action.runId === runId)).toEqual([
      { runId, action: 'apply', comment: `Applied by GitHub Actions: ${note}`, status: 'planned' },
    ]);
    expect(result.outputs.status).toBe('applied');
    expect(result.summary).toContain(note);
    const body = github.commentsOn(20)[0]?.body as string;
    expect(body).toContain(`#### ✅ Applied to \`acme/notebook-prod\` from commit \`${merge.slice(0, 7)}\` in [${runId}](`);
    expect(body).toContain(note);
    expect(result.commands.filter((command) => command.command === 'warning')).toEqual([]);
  });

  it("discards main's plan when it differs from the PR run's", async () => {
    const { merge, prRun } = await reviewCountsOnly(21, 403);
    const drifted = planFixture();
    (drifted.resource_changes.find((item) => item.address === 'aws_ecs_service.app')?.change.after as Record<string, unknown>).desired_count = 3;
    tfc.reset(scenario({ planJson: drifted, planOnlyTokens: { [PLAN_TOKEN]: 403 } }));
    const result = await apply(merge);
    expectExit(result, 1);

    const runId = result.outputs['run-id'] as string;
    expect(result.errors).toEqual([
      `The plan differs from the one reviewed on PR #21 in ${prRun}; run ${runId} was discarded.\n  aws_ecs_service.app: planned values differ (update)`,
    ]);
    expect(tfc.actions.filter((action) => action.runId === runId).map((action) => action.action)).toEqual(['discard']);
    expect(github.commentsOn(21)[0]?.body).toContain(`#### ⛔ Not applied to \`acme/notebook-prod\` from commit \`${merge.slice(0, 7)}\``);
  });

  it("refuses before creating any run, saying what to do, when the PR run's JSON plan is gone", async () => {
    const { merge, prRun } = await reviewCountsOnly(22, 404);
    const reviewedRun = tfc.runs.get(prRun);
    if (reviewedRun) reviewedRun.planJson = undefined;
    tfc.reset(scenario({ planOnlyTokens: { [PLAN_TOKEN]: 404 } }));
    const runsBefore = tfc.runs.size;
    const result = await apply(merge);
    expectExit(result, 1);
    expect(result.errors).toEqual([
      `Not applying: the plan comment on PR #22 has no fingerprint (its plan showed counts only), and the JSON plan of its run ${prRun} could not be read at apply time either: the token may not read the JSON plan (HTTP 404; it needs a user or team token with admin access to the workspace). Re-run the plan job of PR #22 (so its comment names a fresh run) and then this job, give the plan token admin access to the workspace (so the comment records the fingerprint itself), or set "require-reviewed-plan: false" to apply without a reviewed plan.`,
    ]);
    expect(tfc.runs.size).toBe(runsBefore);
  });
});

describe('outputs', () => {
  it('reads the current outputs, sensitive ones one by one and masked', async () => {
    tfc.reset(scenario());
    const result = await runAction(tfc, github, directory, { command: 'outputs', event: 'push', sha: sha() });
    expectExit(result, 0);
    expect(JSON.parse(result.outputs.outputs as string)).toMatchObject({ db_password: 'new-db-password-456' });
    expect(result.stdout.split('\n')).toContain('::add-mask::new-db-password-456');
    expect(result.summary).toContain('### Outputs of `acme/notebook-prod`');
  });
});
