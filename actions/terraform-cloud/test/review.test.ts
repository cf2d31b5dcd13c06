import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fingerprintPlan } from '../src/fingerprint';
import { readPlan } from '../src/plan-model';
import { judge, type ReviewedPlan } from '../src/review';
import { awaitsDecision, describeStatus, isFinal, planOnlyDone, succeeded } from '../src/run-states';

const plan = JSON.parse(readFileSync(new URL('fixtures/plan-changes.json', import.meta.url), 'utf8')) as {
  resource_changes: Array<{ address: string; change: { after: Record<string, unknown> } }>;
};
const current = fingerprintPlan(readPlan(plan));
const pullRequest = { number: 42, title: 'Scale the service', url: 'https://github.com/acme/notebook/pull/42' };
const matching: ReviewedPlan = { pullRequest, digest: current.digest, entries: current.entries };

describe('judge', () => {
  it('applies a plan that matches the reviewed one', () => {
    expect(judge(matching, current, undefined, true)).toEqual({
      apply: true,
      verified: true,
      note: `The plan matches the one reviewed on PR #42 (${current.digest.slice(0, 19)}…).`,
    });
  });

  it('never applies a plan that differs, whatever require-reviewed-plan says', () => {
    const changed = structuredClone(plan);
    (changed.resource_changes.find((item) => item.address === 'aws_ecs_service.app')?.change.after as Record<string, unknown>).desired_count = 5;
    const verdict = judge(matching, fingerprintPlan(readPlan(changed)), undefined, false);
    expect(verdict).toEqual({
      apply: false,
      reason: 'The plan differs from the one reviewed on PR #42',
      differences: ['aws_ecs_service.app: planned values differ (update)'],
    });
  });

  it('names both digests when the comment kept no per-address entries', () => {
    const verdict = judge({ pullRequest, digest: `sha256:${'0'.repeat(64)}` }, current, undefined, true);
    expect(verdict.apply).toBe(false);
    expect(verdict.apply === false && verdict.reason).toBe(
      `The plan differs from the one reviewed on PR #42 (reviewed sha256:000000000000…, now ${current.digest.slice(0, 19)}…)`,
    );
  });

  it('applies an unreviewable plan only when no reviewed plan is required', () => {
    const none: ReviewedPlan = { missing: 'commit abc1234 was not merged from a pull request' };
    expect(judge(none, current, undefined, true)).toEqual({
      apply: false,
      reason: 'The plan cannot be matched to a reviewed plan: commit abc1234 was not merged from a pull request',
      differences: [],
    });
    expect(judge(none, current, undefined, false)).toEqual({
      apply: true,
      verified: false,
      note: 'Applying without a reviewed plan (require-reviewed-plan is false): commit abc1234 was not merged from a pull request.',
    });
    expect(judge(matching, undefined, 'the token may not read the JSON plan (HTTP 403)', true)).toMatchObject({
      apply: false,
      reason: 'The plan cannot be matched to a reviewed plan: this plan has no fingerprint: the token may not read the JSON plan (HTTP 403)',
    });
  });
});

describe('run states', () => {
  it('stops an apply run where a decision is due: confirmable, final, or a policy override', () => {
    const run = (status: string, isConfirmable = false) => ({ status, actions: { isConfirmable } });
    expect(awaitsDecision(run('planned'))).toBe(false);
    expect(awaitsDecision(run('cost_estimated', true))).toBe(true);
    expect(awaitsDecision(run('post_plan_running'))).toBe(false);
    expect(awaitsDecision(run('post_plan_completed', true))).toBe(true);
    expect(awaitsDecision(run('policy_override'))).toBe(true);
    expect(awaitsDecision(run('planned_and_finished'))).toBe(true);
    expect(awaitsDecision(run('errored'))).toBe(true);
  });

  it('stops a plan-only run on a final state', () => {
    expect(['post_plan_completed', 'policy_checked', 'planning'].map((status) => planOnlyDone({ status }))).toEqual([false, false, false]);
    expect(['planned_and_finished', 'policy_soft_failed', 'errored', 'force_canceled'].every((status) => planOnlyDone({ status }))).toBe(true);
  });

  it('tells success from failure and describes states, even unknown ones', () => {
    expect(['applied', 'planned_and_finished', 'policy_soft_failed'].every(succeeded)).toBe(true);
    expect(['errored', 'canceled', 'discarded', 'force_canceled'].some(succeeded)).toBe(false);
    expect(isFinal('apply_queued')).toBe(false);
    expect(describeStatus('plan_queued')).toBe('waiting for a free worker to plan');
    expect(describeStatus('some_new_state')).toBe('some new state');
  });
});
