// One job of deploy.yml played as the runner plays it, on a small stage written here: the local actions run (here by
// a fake) with their inputs evaluated, the runner's set-up steps reported as not played, a stand-in in place of a
// `run:` step, and the outputs flowing from step to step and back to the job.
import { describe, expect, it } from '@jest/globals';
import { loadRepo } from '@notebook-ship/workflows';
import type { Contexts } from '@notebook-ship/workflows';
import { playStage, standInKey, type RunAction, type StandInArgs, type StandIns } from '../src/play';
import { loadDeployWorkflow, stageCall, type StageCall } from '../src/workflow';

const DEPLOY = `
on: push
jobs:
  release:
    name: Release
    uses: ./.github/workflows/stage-release.yml
    with:
      version: \${{ github.sha }}
      bucket: \${{ needs.terraform.outputs.bucket }}
`;

const STAGE = `
on:
  workflow_call:
    inputs:
      version: { type: string, required: true }
      bucket: { type: string, required: true }
      retries: { type: number, required: false, default: 3 }
    outputs:
      release-id:
        value: \${{ jobs.publish.outputs.release-id }}
      url:
        value: \${{ jobs.publish.outputs.url }}
      checked:
        value: \${{ jobs.publish.outputs.checked }}
jobs:
  publish:
    runs-on: ubuntu-latest
    timeout-minutes: 12
    outputs:
      release-id: \${{ steps.publish.outputs.release-id }}
      url: \${{ steps.publish.outputs.url }}
      checked: \${{ steps.check.outputs.status }}
    steps:
      - uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683 # v4.2.2
      - uses: aws-actions/configure-aws-credentials@61815dcd50bd041e203e49132bacad1fd04d2708 # v5.1.1
        with:
          role-session-name: release-\${{ github.run_id }}
      - id: build
        uses: ./actions/build-site
        with:
          version: \${{ inputs.version }}
          retries: \${{ inputs.retries }}
      - id: publish
        uses: ./actions/publish-site
        with:
          bucket: \${{ inputs.bucket }}
          files: \${{ steps.build.outputs.dir }}
          label: release-\${{ inputs.version }}
      - name: Say where it is
        run: echo "published"
      - name: Check the release
        id: check
        env:
          URL: \${{ steps.publish.outputs.url }}
        run: curl -fsS "$URL" && echo "status=ok" >> "$GITHUB_OUTPUT"
`;

const contexts: Contexts = {
  github: { sha: 'abc123', run_id: '7' },
  vars: {},
  needs: { terraform: { outputs: { bucket: 'site-bucket' }, result: 'success' } },
  inputs: {},
};

/** The stage written here, with `edit` applied to its text. */
function release(edit: (stage: string) => string = (stage) => stage): StageCall {
  const repo = loadRepo(
    new Map([
      ['.github/workflows/deploy.yml', DEPLOY],
      ['.github/workflows/stage-release.yml', edit(STAGE)],
    ]),
  );
  const { workflow } = loadDeployWorkflow(repo);
  return stageCall(repo, workflow, 'release', contexts);
}

/** A runAction that records each call and answers with the outputs given per action. */
function fakeActions(outputs: Record<string, Record<string, string>>) {
  const calls: { action: string; inputs: Record<string, string>; job: string }[] = [];
  const runAction: RunAction = async (action, inputs, call) => {
    calls.push({ action, inputs, job: call.job });
    return outputs[action] ?? {};
  };
  return { calls, runAction };
}

const ACTION_OUTPUTS = {
  'build-site': { dir: 'dist-abc123' },
  'publish-site': { 'release-id': 'r-abc123', url: 'https://example.test/' },
};

describe('a stage played as the runner plays it', () => {
  it('runs each local action with its inputs evaluated, outputs flowing to the later steps and to the job', async () => {
    const { calls, runAction } = fakeActions(ACTION_OUTPUTS);
    const lines: string[] = [];
    const call = release();
    const standIns: StandIns = {
      'stage-release.yml#check': async ({ env }) => ({ outputs: { status: env.URL === 'https://example.test/' ? 'ok' : `wrong URL ${env.URL}` } }),
    };
    const result = await playStage(call, { contexts, standIns, runAction, log: (line) => lines.push(line) });

    expect(calls).toEqual([
      { action: 'build-site', inputs: { version: 'abc123', retries: '3' }, job: 'release' },
      { action: 'publish-site', inputs: { bucket: 'site-bucket', files: 'dist-abc123', label: 'release-abc123' }, job: 'release' },
    ]);
    expect(result).toEqual({ outputs: { 'release-id': 'r-abc123', url: 'https://example.test/', checked: 'ok' }, skipped: undefined });
    // The runner set-up, and a `run:` step without a stand-in, are named once, in order.
    expect(lines).toEqual(['  ┆ not played here (runner set-up): actions/checkout, aws-actions/configure-aws-credentials, "Say where it is"']);
  });

  it('plays a stand-in in place of a run: step, by the stage file and the step id, with its env evaluated', async () => {
    const { runAction } = fakeActions(ACTION_OUTPUTS);
    const seen: Omit<StandInArgs, 'runAction' | 'call'>[] = [];
    const call = release();
    const check = call.stageJob.steps?.find((step) => step.id === 'check');
    expect(standInKey(call, check ?? {})).toBe('stage-release.yml#check');
    const played = await playStage(call, {
      contexts,
      standIns: { 'stage-release.yml#check': async (args) => (seen.push({ with: args.with, env: args.env }), { outputs: { status: 'stood in' } }) },
      runAction,
      log: () => {},
    });
    expect(seen).toEqual([{ with: {}, env: { URL: 'https://example.test/' } }]);
    expect(played.outputs.checked).toBe('stood in');

    // Without its stand-in, the step is not played, and the output it would give is empty.
    const lines: string[] = [];
    const bare = await playStage(call, { contexts, standIns: {}, runAction, log: (line) => lines.push(line) });
    expect(bare.outputs.checked).toBe('');
    expect(lines[0]).toMatch(/"Check the release"$/);
  });

  it("lets a stand-in run the step's action with some inputs replaced, and report the job as skipped", async () => {
    const { calls, runAction } = fakeActions(ACTION_OUTPUTS);
    const standIns: StandIns = {
      'stage-release.yml#build': async ({ runAction: run }) => ({
        outputs: { ...(await run({ retries: '0' })), dir: 'prebuilt' },
        skipped: 'built once already',
      }),
    };
    const result = await playStage(release(), { contexts, standIns, runAction, log: () => {} });
    expect(calls.map(({ action, inputs }) => [action, inputs])).toEqual([
      ['build-site', { version: 'abc123', retries: '0' }],
      ['publish-site', { bucket: 'site-bucket', files: 'prebuilt', label: 'release-abc123' }],
    ]);
    expect(result.skipped).toBe('built once already');
  });

  it('refuses to run an action from a stand-in of a run: step', async () => {
    const { runAction } = fakeActions(ACTION_OUTPUTS);
    const standIns: StandIns = { 'stage-release.yml#check': ({ runAction: run }) => run().then((outputs) => ({ outputs })) };
    await expect(playStage(release(), { contexts, standIns, runAction, log: () => {} })).rejects.toThrow(
      '.github/workflows/stage-release.yml: step "check" uses no local action',
    );
  });

  it("judges a step's if: condition as the runner does: a false one skips the step, a true one runs it", async () => {
    const withCondition = (condition: string) =>
      release((stage) => stage.replace('      - id: publish\n', `      - id: publish\n        if: ${condition}\n`));
    const skippedRun = fakeActions(ACTION_OUTPUTS);
    const lines: string[] = [];
    await playStage(withCondition("inputs.bucket == ''"), { contexts, standIns: {}, runAction: skippedRun.runAction, log: (line) => lines.push(line) });
    expect(skippedRun.calls.map((each) => each.action)).toEqual(['build-site']);
    expect(lines).toContain("  ┆ skipped (if: inputs.bucket == ''): publish");
    const ranRun = fakeActions(ACTION_OUTPUTS);
    await playStage(withCondition("${{ success() && inputs.bucket != '' }}"), { contexts, standIns: {}, runAction: ranRun.runAction, log: () => {} });
    expect(ranRun.calls.map((each) => each.action)).toEqual(['build-site', 'publish-site']);
  });

  it("stops at a failing action with the action's own error", async () => {
    const runAction: RunAction = async (action) => {
      if (action === 'publish-site') throw new Error('./actions/publish-site: AccessDenied on s3://site-bucket');
      return {};
    };
    await expect(playStage(release(), { contexts, standIns: {}, runAction, log: () => {} })).rejects.toThrow(
      './actions/publish-site: AccessDenied on s3://site-bucket',
    );
  });
});
