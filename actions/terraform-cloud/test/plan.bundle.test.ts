import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { fingerprintPlan } from '../src/fingerprint';
import { readPlan } from '../src/plan-model';
import { expectExit, planFixture, runAction } from './bundle-run';
import { makeConfigTree, readArchive } from './config-tree';
import { FakeGitHub } from './fake-github';
import { defaultScenario, FakeTfc, type Scenario } from './fake-tfc';

// The committed bundle planning pull requests against a scripted HCP Terraform and GitHub on loopback.

const HEAD = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
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

function scenario(overrides: Partial<Scenario> = {}): Scenario {
  return defaultScenario({ planJson: planFixture(), planCounts: { additions: 2, changes: 2, destructions: 2 }, ...overrides });
}

const plan = (pull: number, inputs: Record<string, string> = {}) =>
  runAction(tfc, github, directory, { command: 'plan', event: 'pull_request', sha: HEAD, pull, inputs });

describe('plan on a pull request', () => {
  beforeEach(() => tfc.reset(scenario()));

  it('uploads the configuration, follows every state, and posts the plan as a comment', async () => {
    tfc.reset(
      scenario({
        speculativeStatuses: [
          'pending',
          'plan_queued',
          'planning',
          'cost_estimating',
          'cost_estimated',
          'policy_checking',
          'policy_checked',
          'post_plan_running',
          'post_plan_completed',
          'planned_and_finished',
        ],
        jsonPendingReads: 1,
      }),
    );
    const result = await plan(42);
    expectExit(result, 0);

    const runId = result.outputs['run-id'] as string;
    const run = tfc.runs.get(runId);
    expect(run).toMatchObject({ planOnly: true, message: `Speculative plan from acme/notebook#42 at a1b2c3d (https://github.com/acme/notebook/actions/runs/4242)` });
    expect(tfc.configurationVersions.get(run?.configurationVersion as string)).toEqual({ speculative: true, autoQueueRuns: false });
    const uploaded = await readArchive(tfc.uploads.get(run?.configurationVersion as string) as Buffer);
    expect([...uploaded.keys()].sort()).toEqual(['.terraform/modules/modules.json', '.terraformignore', 'keep.tfvars', 'main.tf', 'modules/edge/main.tf', 'outputs.tf']);
    expect(tfc.leakedToken).toEqual([]);

    const digest = fingerprintPlan(readPlan(planFixture())).digest;
    expect(result.outputs).toEqual({
      'run-id': runId,
      'run-url': `${tfc.url}/app/acme/workspaces/notebook-prod/runs/${runId}`,
      status: 'planned_and_finished',
      'has-changes': 'true',
      add: '2',
      change: '2',
      destroy: '2',
      replace: '1',
      'plan-fingerprint': digest,
    });
    for (const state of ['policy_checking (checking policies)', 'post_plan_running (running post-plan tasks)', 'planned_and_finished']) {
      expect(result.stdout).toContain(`${runId}: ${state}`);
    }

    const comments = github.commentsOn(42);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body as string;
    expect(body.startsWith('<!-- terraform-cloud:acme/notebook-prod -->\n')).toBe(true);
    expect(body).toContain('### ⚠️ Terraform plan for `acme/notebook-prod`: 2 to add, 2 to change, 2 to destroy, 1 replacement');
    expect(body).toContain('> - `module.edge.aws_instance.bastion[0]` will be **replaced**');
    expect(body).toContain('<details><summary><code>+ aws_s3_bucket.logs</code> create</summary>');
    expect(body).toContain('#### Output changes');
    expect(body).toContain(`<!-- terraform-cloud-fingerprint ${digest} -->`);
    expect(body).not.toContain('db-password');
    expect(result.summary).toContain('2 to add, 2 to change, 2 to destroy, 1 replacement');
  });

  it('updates its comment in place on the next push, and leaves comments of others alone', async () => {
    const forged = github.addComment(43, '<!-- terraform-cloud:acme/notebook-prod -->\n<!-- terraform-cloud-fingerprint sha256:' + 'f'.repeat(64) + ' -->', {
      login: 'mallory',
      type: 'User',
    });
    const first = await plan(43);
    expectExit(first, 0);
    const ours = github.commentsOn(43).filter((comment) => comment.user.type === 'Bot');
    expect(ours).toHaveLength(1);

    const changed = planFixture();
    (changed.resource_changes.find((item) => item.address === 'aws_ecs_service.app')?.change.after as Record<string, unknown>).desired_count = 4;
    tfc.reset(scenario({ planJson: changed }));
    const second = await plan(43);
    expectExit(second, 0);

    expect(github.commentsOn(43)).toHaveLength(2);
    expect(github.commentsOn(43).find((comment) => comment.id === forged.id)?.body).toBe(forged.body);
    const updated = github.commentsOn(43).find((comment) => comment.user.type === 'Bot');
    expect(updated?.id).toBe(ours[0]?.id);
    expect(updated?.body).toContain(`<!-- terraform-cloud-fingerprint ${second.outputs['plan-fingerprint']} -->`);
    expect(updated?.body).toContain('| `desired_count` | `1` | `4` |');
    expect(second.outputs['plan-fingerprint']).not.toBe(first.outputs['plan-fingerprint']);
    const writes = github.requests.filter((request) => request.method !== 'GET').map((request) => request.method);
    expect(writes.slice(-2)).toEqual(['POST', 'PATCH']);
  });

  it('waits out a 429 for as long as Retry-After says', async () => {
    tfc.reset(scenario({ rateLimits: [{ match: /^GET \/api\/v2\/runs\//, times: 1, headers: { 'Retry-After': '1' } }] }));
    const result = await plan(44);
    expectExit(result, 0);
    const runId = result.outputs['run-id'] as string;
    expect(result.stdout).toContain(`Rate limited by HCP Terraform on GET /runs/${runId}: waiting 1s (Retry-After).`);
    const reads = tfc.requests.filter((request) => request.path === `/api/v2/runs/${runId}`);
    expect((reads[1]?.at as number) - (reads[0]?.at as number)).toBeGreaterThanOrEqual(950);
    expect(result.outputs.status).toBe('planned_and_finished');
  });

  it("waits out GitHub's secondary rate limit on the comment, as Retry-After says", async () => {
    const message = 'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.';
    github.rateLimits.push({ method: 'POST', reply: { status: 403, headers: { 'Retry-After': '1' }, body: { message } } });
    const result = await plan(50);
    expectExit(result, 0);
    expect(result.stdout).toContain(
      "Rate limited by GitHub's secondary rate limit: waiting 1s before retrying POST /repos/{owner}/{repo}/issues/{issue_number}/comments.",
    );
    const posts = github.requests.filter((request) => request.method === 'POST');
    expect((posts.at(-1)?.at as number) - (posts.at(-2)?.at as number)).toBeGreaterThanOrEqual(950);
    expect(github.commentsOn(50)).toHaveLength(1);
  });

  it("waits for the reset of GitHub's primary rate limit when no request is left", async () => {
    const reset = String(Math.ceil(Date.now() / 1_000) + 1);
    const headers = { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': reset };
    github.rateLimits.push({ method: 'GET', reply: { status: 403, headers, body: { message: 'API rate limit exceeded' } } });
    const result = await plan(51);
    expectExit(result, 0);
    expect(result.stdout).toContain("Rate limited by GitHub's primary rate limit (requests per hour): waiting");
    expect(github.commentsOn(51)).toHaveLength(1);
  });

  it('gives up on a rate limit longer than it waits, naming the limit instead of permissions', async () => {
    const message = 'You have exceeded a secondary rate limit.';
    github.rateLimits.push({ method: 'GET', reply: { status: 429, headers: { 'Retry-After': '3600' }, body: { message } } });
    const result = await plan(52);
    expectExit(result, 1);
    expect(result.errors).toEqual([
      "GitHub rate-limited the action, which could not read the pull request comments: GitHub's secondary rate limit " +
        'asks to wait 1h, more than the 10m left of the 10m the action waits (HTTP 429). This is not a permission ' +
        'problem: re-run the job later, or spread out the jobs that share this token.',
    ]);
    expect(github.commentsOn(52)).toEqual([]);
  });

  it('falls back to the counts, and says so, when the token may not read the JSON plan', async () => {
    tfc.reset(scenario({ jsonOutput: 'forbidden', planCounts: { additions: 1, changes: 3, destructions: 0 } }));
    const result = await plan(45);
    expectExit(result, 0);
    expect(result.outputs).toMatchObject({ add: '1', change: '3', destroy: '0', replace: '', 'plan-fingerprint': '' });
    const warning = result.commands.find((command) => command.command === 'warning')?.message;
    expect(warning).toBe(
      'Showing counts only: the token may not read the JSON plan (HTTP 403; it needs a user or team token with admin access to the workspace).',
    );
    const body = github.commentsOn(45)[0]?.body as string;
    expect(body).toContain('### 📝 Terraform plan for `acme/notebook-prod`: 1 to add, 3 to change, 0 to destroy');
    expect(body).toContain('> Only the counts are shown: the token may not read the JSON plan (HTTP 403;');
    expect(body).not.toContain('terraform-cloud-fingerprint');
  });

  it('fails on an errored plan, with the error from the log on the pull request', async () => {
    tfc.reset(
      scenario({
        speculativeStatuses: ['pending', 'planning', 'errored'],
        planLog: 'Terraform v1.9.8\n\nError: Unsupported argument\n\n  on main.tf line 2, in resource "aws_s3_bucket" "logs":\n   2:   colour = "blue"\n',
      }),
    );
    const result = await plan(46);
    expectExit(result, 1);
    const runId = result.outputs['run-id'] as string;
    expect(result.errors).toEqual([`Plan ${runId} ended errored: Error: Unsupported argument (${tfc.url}/app/acme/workspaces/notebook-prod/runs/${runId})`]);
    expect(result.outputs.status).toBe('errored');
    const body = github.commentsOn(46)[0]?.body as string;
    expect(body).toContain('### ❌ Terraform plan for `acme/notebook-prod` did not finish: `errored`');
    expect(body).toContain('>   on main.tf line 2, in resource "aws_s3_bucket" "logs":');
  });

  it('reports a soft-failed policy as a warning, not a failure', async () => {
    tfc.reset(scenario({ speculativeStatuses: ['pending', 'planning', 'planned', 'policy_checking', 'policy_soft_failed'] }));
    const result = await plan(47);
    expectExit(result, 0);
    expect(result.outputs.status).toBe('policy_soft_failed');
    expect(github.commentsOn(47)[0]?.body).toContain('> A Sentinel policy soft-failed on this plan: applying it will need an override in HCP Terraform.');
  });

  it('keeps a huge plan under the comment limit, with a note and the fingerprint', async () => {
    const huge = {
      format_version: '1.2',
      resource_changes: Array.from({ length: 2_500 }, (_, index) => ({
        address: `aws_route53_record.tenant["t${index}"]`,
        change: { actions: ['create'], before: null, after: { name: `t${index}.example.com`, ttl: 300, type: 'CNAME' }, after_unknown: { id: true } },
      })),
    };
    tfc.reset(scenario({ planJson: huge }));
    const result = await plan(48);
    expectExit(result, 0);
    expect(result.outputs.add).toBe('2500');
    const body = github.commentsOn(48)[0]?.body as string;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toMatch(/_\d+ more resource changes not shown: GitHub comments are limited to 65,536 characters\./);
    expect(body).toContain(`<!-- terraform-cloud-fingerprint ${result.outputs['plan-fingerprint']} -->`);
  });

  it('keeps a plan of many replacements under the limit, warnings included', async () => {
    const attributes = Object.fromEntries(Array.from({ length: 60 }, (_, index) => [`setting_with_a_long_name_${index}`, 'x']));
    const replacements = {
      format_version: '1.2',
      resource_changes: Array.from({ length: 400 }, (_, index) => ({
        address: `module.tenants["tenant-with-a-long-identifier-${index}"].aws_instance.worker`,
        action_reason: 'replace_because_cannot_update',
        change: { actions: ['delete', 'create'], before: {}, after: attributes, replace_paths: Object.keys(attributes).map((key) => [key]) },
      })),
    };
    tfc.reset(scenario({ planJson: replacements }));
    const result = await plan(53);
    expectExit(result, 0);
    const body = github.commentsOn(53)[0]?.body as string;
    expect(body.length).toBeLessThanOrEqual(65_536);
    expect(body).toContain('> **This plan has 400 replacements:**');
    expect(body).toMatch(/> - …and \d+ more/);
  });

  it('plans a push without commenting, even when asked to comment', async () => {
    const before = github.requests.length;
    const result = await runAction(tfc, github, directory, { command: 'plan', event: 'push', sha: HEAD, inputs: { comment: 'true' } });
    expectExit(result, 0);
    expect(result.stdout).toContain('Not a pull request (push): no comment.');
    expect(github.requests.length).toBe(before);
  });

  it('names the workspace it cannot find', async () => {
    const result = await plan(49, { workspace: 'notebook-typo' });
    expectExit(result, 1);
    expect(result.errors).toEqual([
      `Workspace "notebook-typo" was not found in organization "acme" on ${tfc.url}, or the token cannot read it: check the "organization" and "workspace" inputs (TF_CLOUD_ORGANIZATION / TF_WORKSPACE).`,
    ]);
    const lines = result.stdout.split('\n');
    expect(lines).toContain('::add-mask::tfc-secret-token');
    expect(lines.filter((line) => line.includes(tfc.scenario.token))).toEqual(['::add-mask::tfc-secret-token']);
  });
});
