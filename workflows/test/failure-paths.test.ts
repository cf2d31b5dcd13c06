// deploy.yml at each point where a deploy can fail: which jobs the runner starts (their `if:` judged by GitHub's own
// expression engine), what the rollback jobs are given, and what the last job's script writes into the run summary.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { evaluateMap, loadRepo, repoRoot, runJobs, type JobRun } from '@notebook-ship/workflows';

const workflow = loadRepo().workflows.get('.github/workflows/deploy.yml');
if (!workflow) throw new Error('deploy.yml is missing');

const SHA = 'c0ffee0000000000000000000000000000000000';
const OLD = 'bead000000000000000000000000000000000000';
const NEW_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:8';
const OLD_TD = 'arn:aws:ecs:eu-west-1:123456789012:task-definition/app:7';

const ok = (outputs: Record<string, string> = {}): JobRun => ({ result: 'success', outputs });
const failed = (outputs: Record<string, string> = {}): JobRun => ({ result: 'failure', outputs });

/** What each job does when the runner starts it, unless a scenario says otherwise. */
const healthy: Record<string, (given: Record<string, string>) => JobRun> = {
  terraform: () => ok({ 'aws-region': 'eu-west-1', 'app-url': 'https://app.example.com' }),
  image: () => ok({ image: `123456789012.dkr.ecr.eu-west-1.amazonaws.com/app@sha256:${'a'.repeat(64)}` }),
  backend: () =>
    ok({ 'deployment-id': 'ecs-svc/1', 'task-definition-arn': NEW_TD, 'previous-task-definition-arn': OLD_TD, 'app-version': SHA }),
  frontend: () => ok({ 'release-id': SHA, 'previous-release-id': OLD }),
  smoke: () => ok({ passed: 'true' }),
  'rollback-backend': (given) =>
    given['scale-to-zero'] === 'true'
      ? ok({ 'task-definition-arn': '', 'app-version': '' })
      : ok({ 'task-definition-arn': given['task-definition-arn'] ?? '', 'app-version': OLD }),
  'rollback-frontend': (given) => ok({ 'release-id': given['rollback-to'] ?? '' }),
  'smoke-after-rollback': () => ok({ passed: 'true' }),
};

interface Played {
  started: string[];
  given: Record<string, Record<string, string>>;
  summary: string;
  annotation: string;
  productionExit: number;
}

/** The last job's `run:` script with its `env:` evaluated, as the runner would run it. */
function runScript(env: Record<string, string>): { exit: number; summary: string; stdout: string } {
  const summaryFile = join(mkdtempSync(join(tmpdir(), 'production-state-')), 'summary.md');
  writeFileSync(summaryFile, '');
  const step = workflow?.data.jobs.production?.steps?.find((candidate) => candidate.run);
  try {
    const stdout = execFileSync('bash', ['-c', step?.run ?? 'exit 99'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH, ...env, GITHUB_STEP_SUMMARY: summaryFile },
      encoding: 'utf8',
    });
    return { exit: 0, summary: readFileSync(summaryFile, 'utf8'), stdout };
  } catch (error) {
    const { status, stdout } = error as { status: number; stdout: string };
    return { exit: status, summary: readFileSync(summaryFile, 'utf8'), stdout };
  }
}

async function play(changes: Record<string, (given: Record<string, string>) => JobRun> = {}): Promise<Played> {
  const jobs = { ...healthy, ...changes };
  const played: Played = { started: [], given: {}, summary: '', annotation: '', productionExit: -1 };
  const contexts = { github: { sha: SHA, event_name: 'push' }, vars: { DEPLOY_ROLE_ARN: 'arn:aws:iam::123456789012:role/deploy' }, inputs: {} };
  await runJobs(workflow as NonNullable<typeof workflow>, contexts, async (id, jobContexts) => {
    played.started.push(id);
    const job = workflow?.data.jobs[id];
    if (id === 'production') {
      const step = job?.steps?.find((candidate) => candidate.run);
      const { exit, summary, stdout } = runScript(evaluateMap(step?.env, jobContexts));
      Object.assign(played, { summary, annotation: stdout, productionExit: exit });
      return exit === 0 ? ok() : failed();
    }
    const given = evaluateMap(job?.with, jobContexts);
    played.given[id] = given;
    const run = jobs[id];
    if (!run) throw new Error(`no fake for job ${id}`);
    return run(given);
  });
  return played;
}

const ROLLBACK_JOBS = ['rollback-backend', 'rollback-frontend', 'smoke-after-rollback'];

describe('deploy.yml when a stage fails', () => {
  it('runs no rollback after a good deploy, and says production runs the new version', async () => {
    const run = await play();
    expect(run.started).not.toEqual(expect.arrayContaining([expect.stringMatching(/rollback/)]));
    expect(run.productionExit).toBe(0);
    expect(run.summary).toContain('## Production: new');
    expect(run.summary).toContain(NEW_TD);
  });

  it('leaves production alone when the backend fails before ECS started a deployment', async () => {
    const run = await play({ backend: () => failed({ 'task-definition-arn': NEW_TD, 'previous-task-definition-arn': OLD_TD }) });
    expect(run.started.filter((id) => ROLLBACK_JOBS.includes(id))).toEqual([]);
    expect(run.productionExit).toBe(1);
    expect(run.summary).toContain('## Production: unchanged');
  });

  it('rolls the backend back when its job fails after ECS started the deployment, then smoke-tests it', async () => {
    const run = await play({
      backend: () => failed({ 'deployment-id': 'ecs-svc/1', 'task-definition-arn': NEW_TD, 'previous-task-definition-arn': OLD_TD }),
    });
    expect(run.started).toEqual(expect.arrayContaining(['rollback-backend', 'smoke-after-rollback']));
    expect(run.started).not.toContain('rollback-frontend');
    expect(run.given['rollback-backend']).toMatchObject({ 'task-definition-arn': OLD_TD, 'scale-to-zero': 'false' });
    expect(run.given['smoke-after-rollback']?.['expected-version']).toBe(OLD);
    expect(run.productionExit).toBe(1);
    expect(run.summary).toContain('## Production: restored');
    expect(run.summary).toContain(`restored to ${OLD_TD}`);
    expect(run.summary).toMatch(/Front end \| unchanged/);
  });

  it("rolls both back when the front-end publish fails: the site to the restored backend's release", async () => {
    const run = await play({ frontend: () => failed() });
    expect(run.started).toEqual(expect.arrayContaining(ROLLBACK_JOBS));
    expect(run.given['rollback-backend']?.['task-definition-arn']).toBe(OLD_TD);
    expect(run.given['rollback-frontend']?.['rollback-to']).toBe(OLD);
    expect(run.summary).toContain('## Production: restored');
    expect(run.summary).toContain(`restored to release ${OLD}`);
  });

  it('rolls both back when the smoke test fails, and names the failed checks', async () => {
    const run = await play({ smoke: () => failed({ passed: 'false', 'failed-checks': 'health' }) });
    expect(run.started).toEqual(expect.arrayContaining(ROLLBACK_JOBS));
    expect(run.given['rollback-frontend']?.['rollback-to']).toBe(OLD);
    expect(run.summary).toContain('## Production: restored');
    expect(run.summary).toContain('failed checks: health');
    expect(run.annotation).toContain('::error title=Deploy of c0ffee0 rolled back::');
  });

  it('takes a failed first deploy back to zero tasks, with nothing to smoke-test', async () => {
    const run = await play({
      backend: () => ok({ 'deployment-id': 'ecs-svc/1', 'task-definition-arn': NEW_TD, 'previous-task-definition-arn': '' }),
      frontend: () => ok({ 'release-id': SHA, 'previous-release-id': '' }),
      smoke: () => failed(),
    });
    expect(run.given['rollback-backend']).toMatchObject({ 'task-definition-arn': '', 'scale-to-zero': 'true' });
    expect(run.started).not.toContain('rollback-frontend');
    expect(run.started).not.toContain('smoke-after-rollback');
    expect(run.summary).toContain('## Production: restored');
    expect(run.summary).toContain('back to zero tasks');
  });

  it('says production is in an unknown state, and what to do, when the rollback fails', async () => {
    const run = await play({ smoke: () => failed(), 'rollback-backend': () => failed() });
    expect(run.started).toContain('rollback-frontend');
    expect(run.started).not.toContain('smoke-after-rollback');
    expect(run.productionExit).toBe(1);
    expect(run.summary).toContain('## Production: unknown');
    expect(run.summary).toContain(`Run the Roll back workflow (task-definition: ${OLD_TD}, spa-release: ${OLD})`);
  });

  it('says production is unknown when what was restored fails its smoke test too', async () => {
    const run = await play({ smoke: () => failed(), 'smoke-after-rollback': () => failed() });
    expect(run.summary).toContain('## Production: unknown');
    expect(run.summary).toContain('what runs was not shown to work');
  });
});
