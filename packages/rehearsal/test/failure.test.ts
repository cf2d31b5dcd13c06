// A second deploy whose front-end publish fails half-way, played by the rehearsal's own machinery on the real
// deploy.yml: every job started as its if: says, each stage's steps played with their inputs evaluated, the actions
// answered by a small fake of ECS and the site bucket, and deploy.yml's last script run for real. What changed must
// be back where it was, checked, and the summary must say so.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { repoRoot, type Contexts, type JobRun } from '@notebook-ship/workflows';
import { jobStages } from '../src/jobs';
import { playStage, type RunAction, type StandIns } from '../src/play';
import { playScriptJob } from '../src/script-job';
import { runStages } from '../src/stages';
import { StepError } from '../src/steps';
import { loadDeployWorkflow, stageCall } from '../src/workflow';

const OLD = 'bead000000000000000000000000000000000000';
const NEW = 'c0ffee0000000000000000000000000000000000';
const OLD_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/notebook-ship:7';
const NEW_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/notebook-ship:8';

/** Production before the deploy: the old commit's revision and release, both live. */
function world() {
  const versions: Record<string, string> = { [OLD_TD]: OLD };
  const state = { running: OLD_TD, live: OLD, deployments: 0 };
  const outputs = JSON.stringify({
    aws_region: 'eu-west-1',
    ecs_cluster_name: 'notebook-ship',
    ecs_service_name: 'notebook-ship-app',
    ecs_container_name: 'app',
    ecs_task_definition_arn: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/notebook-ship:1',
    spa_bucket_name: 'site',
    cloudfront_distribution_id: 'E123',
    app_url: 'https://app.example.com',
    access_token_secret_arn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:token',
  });
  const actions: Record<string, (inputs: Record<string, string>) => Record<string, string>> = {
    'terraform-cloud': () => ({ outputs, status: 'applied' }),
    'build-push-image': () => ({ image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/notebook-ship@sha256:${'a'.repeat(64)}` }),
    'deploy-ecs': (inputs) => {
      const previous = state.running;
      state.running = inputs['task-definition-arn'] || NEW_TD;
      versions[NEW_TD] = NEW;
      state.deployments += 1;
      return {
        'task-definition-arn': state.running,
        'previous-task-definition-arn': previous,
        'deployment-id': `ecs-svc/${state.deployments}`,
        'rollout-state': 'COMPLETED',
      };
    },
    'publish-spa': (inputs) => {
      const previous = state.live;
      if (!inputs['rollback-to']) {
        state.live = `half of ${NEW}`;
        throw new StepError('./actions/publish-spa: Publishing stopped after 3 of 9 uploads: SlowDown');
      }
      state.live = inputs['rollback-to'];
      return { 'release-id': state.live, 'previous-release-id': previous };
    },
    'smoke-test': (inputs) => {
      const passed = versions[state.running] === inputs['expected-version'] && state.live === versions[state.running];
      return { passed: String(passed), 'failed-checks': passed ? '' : 'version' };
    },
  };
  const runAction: RunAction = async (action, inputs) => {
    const run = actions[action];
    if (!run) throw new Error(`no fake for ./actions/${action}`);
    return run(inputs);
  };
  const standIns: StandIns = {
    'stage-deploy-backend.yml#revision': async ({ env }) => ({ outputs: { 'app-version': versions[env.TASK_DEFINITION ?? ''] ?? '' } }),
    'stage-smoke-test.yml#token': async () => ({ outputs: { 'access-token': 'token' } }),
  };
  return { state, runAction, standIns };
}

describe('the rehearsal, when the front-end publish fails', () => {
  it('rolls the backend and the site back to the previous commit, smoke-tests them, and says production is restored', async () => {
    const { repo, workflow } = loadDeployWorkflow();
    const { state, runAction, standIns } = world();
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);
    const runs: Record<string, JobRun> = {};
    const github = { sha: NEW, ref: 'refs/heads/main', event_name: 'push', run_id: '1' };
    const workDir = mkdtempSync(join(tmpdir(), 'rehearsal-failure-'));
    const play = async (job: string, jobContexts: Contexts) => {
      const contexts = { ...jobContexts, inputs: {}, secrets: {} };
      const caller = workflow.data.jobs[job];
      if (caller && !caller.uses) return playScriptJob(caller, contexts, { cwd: repoRoot, workDir, log, name: job });
      return playStage(stageCall(repo, workflow, job, contexts), { contexts, standIns, runAction, log });
    };
    const stages = jobStages(workflow, { github, vars: { DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/deploy' } }, runs, play);

    const { ok, failed, outcomes } = await runStages(stages, { log });

    expect(ok).toBe(false);
    expect(failed?.stage).toBe('frontend');
    expect(Object.fromEntries(outcomes.map((outcome) => [outcome.name, outcome.result]))).toEqual({
      terraform: 'passed',
      image: 'passed',
      backend: 'passed',
      frontend: 'failed',
      smoke: 'skipped',
      'rollback-backend': 'passed',
      'rollback-frontend': 'passed',
      'smoke-after-rollback': 'passed',
      production: 'failed',
    });
    expect(state).toMatchObject({ running: OLD_TD, live: OLD });
    const printed = lines.join('\n');
    expect(printed).toContain('summary: ## Production: restored');
    expect(printed).toContain(`Backend | restored to ${OLD_TD} (APP_VERSION ${OLD})`);
    expect(printed).toContain(`Front end | restored to release ${OLD}`);
    expect(outcomes.find((outcome) => outcome.name === 'production')?.detail).toMatch(/^Deploy of c0ffee0 rolled back: /);
  });
});
