import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { COMMENT_LIMIT, marker, readFingerprint, readRunId, renderPlanComment, withApplySection, type PlanReport } from '../src/comment';
import { fingerprintPlan } from '../src/fingerprint';
import { readPlan } from '../src/plan-model';

const planJson = JSON.parse(readFileSync(new URL('fixtures/plan-changes.json', import.meta.url), 'utf8')) as unknown;

function report(overrides: Partial<PlanReport> = {}): PlanReport {
  const plan = readPlan(planJson);
  return {
    organization: 'acme',
    workspace: 'notebook-prod',
    runId: 'run-abc',
    runUrl: 'https://app.terraform.io/app/acme/workspaces/notebook-prod/runs/run-abc',
    status: 'planned_and_finished',
    sha: '0123456789abcdef0123456789abcdef01234567',
    counts: plan.counts,
    hasChanges: true,
    plan,
    fingerprint: fingerprintPlan(plan),
    queuedMs: 12_000,
    elapsedMs: 47_000,
    ...overrides,
  };
}

/** A plan with `count` bucket creations, each with a few attributes. */
function hugePlan(count: number): unknown {
  return {
    format_version: '1.2',
    resource_changes: Array.from({ length: count }, (_, index) => ({
      address: `module.tenants["tenant-${index}"].aws_s3_bucket.data`,
      change: {
        actions: ['create'],
        before: null,
        after: { bucket: `tenant-${index}-data`, force_destroy: false, tags: { tenant: `tenant-${index}`, owner: 'platform' } },
        after_unknown: { arn: true, id: true },
      },
    })),
  };
}

describe('renderPlanComment', () => {
  const body = renderPlanComment(report());

  it('starts with the workspace marker and a summary line with the counts', () => {
    const lines = body.split('\n');
    expect(lines[0]).toBe(marker('acme', 'notebook-prod'));
    expect(lines[0]).toBe('<!-- terraform-cloud:acme/notebook-prod -->');
    expect(body).toContain('### ⚠️ Terraform plan for `acme/notebook-prod`: 2 to add, 2 to change, 2 to destroy, 1 replacement');
    expect(body).toContain('[run-abc](https://app.terraform.io/app/acme/workspaces/notebook-prod/runs/run-abc) · commit `0123456` · took 47s (12s queued)');
  });

  it('warns about replacements and destroys separately, with their reasons', () => {
    expect(body).toContain('> [!CAUTION]\n> **This plan has 1 replacement and 1 destroy:**');
    expect(body).toContain(
      '> - `module.edge.aws_instance.bastion[0]` will be **replaced** (an attribute cannot be updated in place; forced by `ami`)',
    );
    expect(body).toContain('> - `aws_iam_user.legacy` will be **destroyed** (its configuration was removed)');
  });

  it('details each resource with its changed attributes, and hides sensitive values', () => {
    expect(body).toContain('<details><summary><code>~ aws_ecs_service.app</code> update in place</summary>');
    expect(body).toContain('| `desired_count` | `1` | `2` |');
    expect(body).toContain('| `ami` ⚠️ forces replacement | `"ami-0111"` | `"ami-0222"` |');
    expect(body).toContain('| `password` | `(sensitive)` | `(sensitive)` |');
    expect(body).toContain('<code>- aws_iam_user.legacy</code> destroy');
    expect(body).toContain('| `db_password` | update in place | `(sensitive)` | `(sensitive)` |');
    expect(body).toContain('| `bucket_name` | create |  | `"notebook-logs"` |');
    expect(body).not.toMatch(/db-password-\d/);
  });

  it('keeps the fingerprint, and its entries, for the apply to compare', () => {
    const kept = readFingerprint(body);
    const expected = fingerprintPlan(readPlan(planJson));
    expect(kept).toEqual({ digest: expected.digest, entries: expected.entries });
  });

  it('says when only counts could be read, and then records no fingerprint', () => {
    const countsOnly = renderPlanComment(
      report({ plan: undefined, fingerprint: undefined, planUnavailable: 'the token may not read the JSON plan (HTTP 403)' }),
    );
    expect(countsOnly).toContain('Terraform plan for `acme/notebook-prod`: 2 to add, 2 to change, 2 to destroy');
    expect(countsOnly).not.toContain('1 replacement');
    expect(countsOnly).toContain('> Only the counts are shown: the token may not read the JSON plan (HTTP 403).');
    expect(countsOnly).toContain('**This plan destroys 2 resources** (replacements included).');
    expect(readFingerprint(countsOnly)).toBeUndefined();
    expect(countsOnly).toContain(
      '> Only the counts are shown: the token may not read the JSON plan (HTTP 403). No fingerprint could be recorded ' +
        'here, so the apply on main will read the JSON plan of run-abc with its own token (admin access to the ' +
        'workspace) and compute the fingerprint of this reviewed plan from it, then apply only a plan that matches.',
    );
    expect(countsOnly).not.toMatch(/cannot be matched|refuse/);
  });

  it('names the run it shows in a hidden marker, with or without a fingerprint', () => {
    expect(body).toContain('<!-- terraform-cloud-run run-abc -->');
    expect(readRunId(body)).toBe('run-abc');
    const countsOnly = renderPlanComment(
      report({ runId: 'run-CountsOnly12345', plan: undefined, fingerprint: undefined, planUnavailable: 'HTTP 404' }),
    );
    expect(countsOnly.split('\n')).toContain('<!-- terraform-cloud-run run-CountsOnly12345 -->');
    expect(readRunId(countsOnly)).toBe('run-CountsOnly12345');
    expect(readRunId(withApplySection(countsOnly, '#### ✅ Applied'))).toBe('run-CountsOnly12345');
    expect(readRunId('<!-- terraform-cloud:acme/notebook-prod -->')).toBeUndefined();
  });

  it('shows why a run failed', () => {
    const failed = renderPlanComment(
      report({ status: 'errored', plan: undefined, fingerprint: undefined, hasChanges: false, errors: ['Error: Invalid reference', '  on main.tf line 3'] }),
    );
    expect(failed).toContain('### ❌ Terraform plan for `acme/notebook-prod` did not finish: `errored`');
    expect(failed).toContain('> ```\n> Error: Invalid reference\n>   on main.tf line 3\n> ```');
  });

  it('says "no changes" for an empty plan', () => {
    const empty = readPlan({ format_version: '1.2', resource_changes: [] });
    const text = renderPlanComment(report({ plan: empty, counts: empty.counts, hasChanges: false, fingerprint: fingerprintPlan(empty) }));
    expect(text).toContain('### ✅ Terraform plan for `acme/notebook-prod`: no changes');
  });

  it('truncates a huge plan under the comment limit, with a note, keeping summary and fingerprint', () => {
    const plan = readPlan(hugePlan(3_000));
    const text = renderPlanComment(report({ plan, counts: plan.counts, fingerprint: fingerprintPlan(plan) }));
    expect(text.length).toBeLessThanOrEqual(COMMENT_LIMIT - 4_000);
    expect(text).toContain('3000 to add, 0 to change, 0 to destroy');
    const shown = text.match(/<details>/g)?.length ?? 0;
    expect(shown).toBeGreaterThan(50);
    expect(text).toContain(`_${3_000 - shown} more resource changes not shown: GitHub comments are limited to 65,536 characters.`);
    expect(readFingerprint(text)?.digest).toBe(fingerprintPlan(plan).digest);
    expect(readRunId(text)).toBe('run-abc');
  });
  it('budgets the warnings too: replacements with long forcing lists stay under the limit, with a count of the rest', () => {
    const attributes = Object.fromEntries(Array.from({ length: 60 }, (_, index) => [`setting_with_a_long_name_${index}`, 'x']));
    const plan = readPlan({
      format_version: '1.2',
      resource_changes: Array.from({ length: 400 }, (_, index) => ({
        address: `module.tenants["tenant-with-a-long-identifier-${index}"].aws_instance.worker`,
        action_reason: 'replace_because_cannot_update',
        change: {
          actions: ['delete', 'create'],
          before: Object.fromEntries(Object.keys(attributes).map((key) => [key, 'y'])),
          after: attributes,
          replace_paths: Object.keys(attributes).map((key) => [key]),
        },
      })),
    });
    const text = renderPlanComment(report({ plan, counts: plan.counts, fingerprint: fingerprintPlan(plan) }));
    expect(text.length).toBeLessThanOrEqual(COMMENT_LIMIT - 4_000);
    expect(text).toContain('> **This plan has 400 replacements:**');
    const warned = text.match(/^> - `module\.tenants/gm)?.length ?? 0;
    expect(warned).toBeGreaterThan(0);
    expect(text).toContain(`> - …and ${400 - warned} more`);
    expect(text).toContain('more resource changes not shown');
    expect(readFingerprint(text)?.digest).toBe(fingerprintPlan(plan).digest);
  });

  it('budgets the error block of a failed run', () => {
    const errors = Array.from({ length: 30 }, (_, index) => `Error: ${'x'.repeat(290)} ${index}`);
    const text = renderPlanComment(report({ status: 'errored', plan: undefined, fingerprint: undefined, hasChanges: false, errors }), 5_000);
    expect(text.length).toBeLessThanOrEqual(5_000);
    expect(text).toMatch(/> … \(\d+ more lines in the run's log\)\n> ```/);
    expect(readRunId(text)).toBe('run-abc');
  });
});

describe('withApplySection', () => {
  it('adds the apply result once and replaces it on the next report', () => {
    const body = renderPlanComment(report());
    const first = withApplySection(body, '#### ✅ Applied');
    const second = withApplySection(first, '#### ❌ Apply errored');
    expect(second.match(/terraform-cloud-apply -->/g)).toHaveLength(2);
    expect(second).toContain('#### ❌ Apply errored');
    expect(second).not.toContain('#### ✅ Applied');
    expect(readFingerprint(second)?.digest).toBe(readFingerprint(body)?.digest);
  });

  it('never makes the body longer than GitHub accepts', () => {
    const plan = readPlan(hugePlan(3_000));
    const body = renderPlanComment(report({ plan, counts: plan.counts, fingerprint: fingerprintPlan(plan) }));
    expect(withApplySection(body, `#### ⛔ Not applied\n\n${'- `a.b`: differs\n'.repeat(2_000)}`).length).toBeLessThanOrEqual(COMMENT_LIMIT);
  });
});
