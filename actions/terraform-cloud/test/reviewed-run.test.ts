import { describe, expect, it } from '@jest/globals';
import { recordingIo } from '@notebook-ship/action-kit/testing';
import { readFileSync } from 'node:fs';
import { fingerprintPlan } from '../src/fingerprint';
import type { Config } from '../src/inputs';
import { readPlan } from '../src/plan-model';
import { judge } from '../src/review';
import { reviewedFromRun } from '../src/reviewed-run';
import type { Session } from '../src/session';
import type { PlanJson, Run, TfcApi } from '../src/tfc-api';
import { TfcApiError } from '../src/tfc-http';

// The apply side of a plan comment without a fingerprint: the apply token reads the JSON plan of the run it names.

const planJson = JSON.parse(readFileSync(new URL('fixtures/plan-changes.json', import.meta.url), 'utf8')) as unknown;
const reviewed = fingerprintPlan(readPlan(planJson));
const pullRequest = { number: 42, title: 'Scale the service', url: 'https://github.com/acme/notebook/pull/42' };
const comment = { id: 7, body: '<!-- terraform-cloud-run run-Reviewed1 -->', url: 'https://github.com/acme/notebook/pull/42#issuecomment-7' };
const ADVICE =
  'Re-run the plan job of PR #42 (so its comment names a fresh run) and then this job, give the plan token admin access ' +
  'to the workspace (so the comment records the fingerprint itself), or set "require-reviewed-plan: false" to apply ' +
  'without a reviewed plan.';

interface Stub {
  run?: Partial<Run> | TfcApiError;
  json?: PlanJson;
}

function session({ run = {}, json = { kind: 'ready', json: planJson } }: Stub = {}) {
  const calls: string[] = [];
  const api = {
    workspace: async (organization: string, name: string) => {
      calls.push(`workspace ${organization}/${name}`);
      return { id: 'ws-Prod1', name, locked: false };
    },
    run: async (id: string) => {
      calls.push(`run ${id}`);
      if (run instanceof TfcApiError) throw run;
      const base: Run = {
        id,
        status: 'planned_and_finished',
        hasChanges: true,
        actions: { isCancelable: false, isConfirmable: false, isDiscardable: false },
        statusTimestamps: {},
        planId: 'plan-Reviewed1',
        workspaceId: 'ws-Prod1',
      };
      return { ...base, ...run };
    },
    plan: async (id: string) => {
      calls.push(`plan ${id}`);
      return { status: 'finished', additions: 2, changes: 2, destructions: 2, imports: 0 };
    },
    planJson: async (id: string) => {
      calls.push(`json ${id}`);
      return json;
    },
  };
  const io = recordingIo();
  const value = {
    config: { organization: 'acme', workspace: 'notebook-prod', pollIntervalMs: 10 } as Config,
    api: api as unknown as TfcApi,
    io,
    clock: { now: () => Date.now(), sleep: async () => undefined },
    deadline: Date.now() + 60_000,
  } as unknown as Session;
  return { session: value, calls, io };
}

describe('reviewedFromRun', () => {
  it("computes the reviewed fingerprint from the run's JSON plan, and says so", async () => {
    const { session: current, calls, io } = session();
    const result = await reviewedFromRun(current, 'run-Reviewed1', pullRequest, comment);
    expect(result).toEqual({
      pullRequest,
      comment,
      digest: reviewed.digest,
      entries: reviewed.entries,
      computedFrom: 'run-Reviewed1',
    });
    expect(calls).toEqual(['workspace acme/notebook-prod', 'run run-Reviewed1', 'plan plan-Reviewed1', 'json plan-Reviewed1']);
    expect(io.infos.at(-1)).toBe(
      `Reviewed plan: PR #42 (${comment.url}), ${reviewed.digest}, computed at apply time from run-Reviewed1 because the plan token could not read its JSON plan.`,
    );
    expect(io.warnings).toEqual([]);

    const verdict = judge(result, reviewed, undefined, true);
    expect(verdict).toEqual({
      apply: true,
      verified: true,
      note:
        `The plan matches the one reviewed on PR #42 in run-Reviewed1 (${reviewed.digest.slice(0, 19)}…). The reviewed ` +
        'fingerprint was computed at apply time from run-Reviewed1, because the plan token could not read its JSON plan.',
    });
  });

  it("still refuses a current plan that differs from the reviewed run's", async () => {
    const { session: current } = session();
    const result = await reviewedFromRun(current, 'run-Reviewed1', pullRequest, comment);
    const changed = structuredClone(planJson) as { resource_changes: Array<{ address: string; change: { after: Record<string, unknown> } }> };
    (changed.resource_changes.find((item) => item.address === 'aws_ecs_service.app')?.change.after as Record<string, unknown>).desired_count = 5;
    expect(judge(result, fingerprintPlan(readPlan(changed)), undefined, true)).toEqual({
      apply: false,
      reason: 'The plan differs from the one reviewed on PR #42 in run-Reviewed1',
      differences: ['aws_ecs_service.app: planned values differ (update)'],
    });
  });

  it('refuses a run of another workspace, before reading its plan', async () => {
    const { session: current, calls } = session({ run: { workspaceId: 'ws-Staging9' } });
    const result = await reviewedFromRun(current, 'run-Reviewed1', pullRequest, comment);
    expect(result).toEqual({
      pullRequest,
      comment,
      missing:
        'the plan comment on PR #42 has no fingerprint (its plan showed counts only), and the run it names, run-Reviewed1, ' +
        'belongs to workspace ws-Staging9, not to acme/notebook-prod (ws-Prod1): it is not a plan of this workspace and ' +
        'cannot stand for its reviewed plan',
      advice: 'Plan the pull request again with this action for this workspace (command: plan), then re-run this job.',
    });
    expect(calls).toEqual(['workspace acme/notebook-prod', 'run run-Reviewed1']);
    expect(judge(result, reviewed, undefined, true).apply).toBe(false);
  });

  it('says what to do when the JSON plan of the run cannot be read any more', async () => {
    const json: PlanJson = {
      kind: 'unavailable',
      reason: 'the token may not read the JSON plan (HTTP 404; it needs a user or team token with admin access to the workspace)',
    };
    const { session: current, io } = session({ json });
    const result = await reviewedFromRun(current, 'run-Reviewed1', pullRequest, comment);
    expect(result).toEqual({
      pullRequest,
      comment,
      missing:
        'the plan comment on PR #42 has no fingerprint (its plan showed counts only), and the JSON plan of its run ' +
        `run-Reviewed1 could not be read at apply time either: ${json.reason}`,
      advice: ADVICE,
    });
    expect(io.warnings).toEqual([]);
    expect(judge(result, reviewed, undefined, true)).toMatchObject({ apply: false });
  });

  it('gives no fingerprint for a run that did not plan, or cannot be read', async () => {
    const errored = await reviewedFromRun(session({ run: { status: 'errored' } }).session, 'run-Reviewed1', pullRequest, comment);
    expect(errored).toMatchObject({
      missing: expect.stringMatching(/, and the run it names, run-Reviewed1, ended errored without a plan to compare with$/),
      advice: ADVICE,
    });
    const gone = new TfcApiError('GET /runs/run-Reviewed1 answered 404 Not Found', 404);
    const unread = await reviewedFromRun(session({ run: gone }).session, 'run-Reviewed1', pullRequest, comment);
    expect(unread).toMatchObject({
      missing: expect.stringMatching(/, and its run run-Reviewed1 could not be read: GET \/runs\/run-Reviewed1 answered 404 Not Found$/),
      advice: ADVICE,
    });
  });
});
