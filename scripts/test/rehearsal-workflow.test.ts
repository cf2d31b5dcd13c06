// `npm start` must play deploy.yml as it is: the same jobs in the same order, each running the same action with the
// same inputs, evaluated the way a deploy evaluates them. This resolves the real workflow files and compares.
import { describe, expect, it } from '@jest/globals';
import { DEPLOY_JOBS, REHEARSAL_OVERRIDES, actionInputs } from '../rehearsal/workflow.mjs';
import {
  calledWorkflow,
  loadRepo,
  needsOf,
  readRepoFiles,
  workflowCall,
  workflowNamed,
  type Repo,
} from '../../workflows/test/model';

/** Every Terraform output the stages hand on, each standing for itself. */
const OUTPUTS = Object.fromEntries(
  [
    'aws-region',
    'ecr-repository-url',
    'ecs-cluster-name',
    'ecs-service-name',
    'ecs-container-name',
    'spa-bucket-name',
    'cloudfront-distribution-id',
    'app-url',
    'access-token-secret-arn',
  ].map((name) => [name, `<${name}>`]),
);
const FACTS = { outputs: OUTPUTS, sha: '<sha>', image: '<image>', accessToken: '<token>' };
/** What a deploy's expressions evaluate to, for the references the stages use. */
const REFERENCES: Record<string, string> = {
  'github.sha': FACTS.sha,
  'needs.image.outputs.image': FACTS.image,
  'steps.token.outputs.access-token': FACTS.accessToken,
  ...Object.fromEntries(Object.entries(OUTPUTS).map(([name, value]) => [`needs.terraform.outputs.${name}`, value])),
};

const UNRESOLVED = Symbol('unresolved');
type Value = string | typeof UNRESOLVED;

/** One `${{ }}` or a literal, in the context of a stage whose inputs are `input(name)`. */
function evaluate(value: unknown, input: (name: string) => Value): Value {
  if (typeof value !== 'string') return String(value);
  const whole = /^\$\{\{\s*(.+?)\s*\}\}$/s.exec(value);
  if (!whole) return value;
  const expression = whole[1] as string;
  const reference = /^inputs\.([\w-]+)$/.exec(expression);
  if (reference) return input(reference[1] as string);
  if (expression in REFERENCES) return REFERENCES[expression] as string;
  // `inputs.x != '' && format('X={0}', inputs.x) || ''`: the one conditional form the stages use.
  const formatted = /^inputs\.([\w-]+) != '' && format\('([^']*)', inputs\.\1\) \|\| ''$/.exec(expression);
  if (formatted) {
    const given = input(formatted[1] as string);
    if (given === UNRESOLVED) return UNRESOLVED;
    return given === '' ? '' : (formatted[2] as string).replace('{0}', given);
  }
  return UNRESOLVED;
}

interface Played {
  job: string;
  needs: string[];
  actions: string[];
  timeoutMinutes?: number;
  inputs?: Record<string, Value>;
}

/** deploy.yml's chain on a push (the jobs without a condition), each job resolved through the stage it calls. */
function deployChain(repo: Repo): Played[] {
  const deploy = workflowNamed(repo, 'deploy.yml');
  return Object.entries(deploy.data.jobs)
    .filter(([, job]) => job.if === undefined)
    .map(([id, job]) => {
      const stage = calledWorkflow(repo, job);
      if (!stage) throw new Error(`deploy.yml job ${id} calls no local stage`);
      const declared = workflowCall(stage)?.inputs ?? {};
      const given = job.with ?? {};
      const input = (name: string): Value =>
        evaluate(name in given ? given[name] : (declared[name]?.default ?? ''), () => UNRESOLVED);
      const [inner, ...more] = Object.values(stage.data.jobs);
      if (!inner || more.length) throw new Error(`${stage.path} should have one job`);
      const steps = (inner.steps ?? []).filter((step) => step.uses?.startsWith('./actions/'));
      const [step] = steps;
      return {
        job: id,
        needs: needsOf(job),
        actions: steps.map((each) => each.uses as string),
        timeoutMinutes: inner['timeout-minutes'],
        inputs: step
          ? Object.fromEntries(Object.entries(step.with ?? {}).map(([name, value]) => [name, evaluate(value, input)]))
          : undefined,
      };
    });
}

/** What differs between deploy.yml and the rehearsal; empty when the rehearsal plays it faithfully. */
function differences(repo: Repo): string[] {
  const chain = deployChain(repo);
  const problems: string[] = [];
  const jobs = chain.map((played) => played.job);
  const rehearsed = DEPLOY_JOBS.map((entry) => entry.job);
  if (jobs.join() !== rehearsed.join()) problems.push(`deploy.yml runs ${jobs.join(' → ')}; npm start plays ${rehearsed.join(' → ')}`);
  for (const [index, played] of chain.entries()) {
    const later = played.needs.filter((need) => jobs.indexOf(need) >= index);
    if (later.length) problems.push(`${played.job} needs ${later.join(', ')}, which come after it`);
    const entry = DEPLOY_JOBS.find((candidate) => candidate.job === played.job);
    if (!entry) continue;
    if (played.job === 'terraform') {
      if (played.actions.join() !== './actions/terraform-cloud' || entry.action !== undefined) {
        problems.push(`terraform: runs ${played.actions.join(', ')}; npm start creates the resources itself instead`);
      }
      continue;
    }
    if (played.actions.join() !== `./actions/${entry.action}`) {
      problems.push(`${played.job}: the stage runs ${played.actions.join(', ') || 'no action'}; npm start runs ./actions/${entry.action}`);
      continue;
    }
    if (played.timeoutMinutes !== entry.timeoutMinutes) {
      problems.push(`${played.job}: the job times out after ${played.timeoutMinutes} minutes; npm start after ${entry.timeoutMinutes}`);
    }
    const ours = actionInputs(played.job, FACTS);
    const theirs = played.inputs ?? {};
    for (const name of new Set([...Object.keys(theirs), ...Object.keys(ours)])) {
      if (!(name in ours)) problems.push(`${played.job}: npm start does not pass the input "${name}"`);
      else if (!(name in theirs)) problems.push(`${played.job}: npm start passes "${name}", which the stage does not`);
      else if (theirs[name] !== UNRESOLVED && theirs[name] !== ours[name]) {
        problems.push(`${played.job}: "${name}" is ${JSON.stringify(theirs[name])} in a deploy; npm start gives ${JSON.stringify(ours[name])}`);
      }
    }
  }
  return problems;
}

/** The real files with one exact edit, as a commit would make it. */
function edited(file: string, from: string, to: string): Repo {
  const files = readRepoFiles();
  const text = files.get(file) ?? '';
  if (text.split(from).length !== 2) throw new Error(`"${from}" should occur once in ${file}`);
  files.set(file, text.replace(from, to));
  return loadRepo(files);
}

describe('npm start plays deploy.yml', () => {
  it('with the same jobs in the same order, the same actions, timeouts and inputs', () => {
    expect(differences(loadRepo())).toEqual([]);
  });

  it('compares the value of every input of the actions it runs (none is left unevaluated)', () => {
    const runs = new Set(DEPLOY_JOBS.filter((entry) => entry.action).map((entry) => entry.job));
    const unresolved = deployChain(loadRepo())
      .filter((played) => runs.has(played.job))
      .flatMap((played) =>
        Object.entries(played.inputs ?? {})
          .filter(([, value]) => value === UNRESOLVED)
          .map(([name]) => `${played.job}.${name}`),
      );
    expect(runs.size).toBe(4);
    expect(unresolved).toEqual([]);
  });

  it('overrides exactly push and cache of the image step, which a deploy leaves on', () => {
    expect(REHEARSAL_OVERRIDES).toEqual({ image: { push: 'false', cache: 'false' } });
    const image = deployChain(loadRepo()).find((played) => played.job === 'image');
    for (const name of Object.keys(REHEARSAL_OVERRIDES.image)) expect(image?.inputs).not.toHaveProperty(name);
  });

  it.each([
    {
      change: 'a new input of a stage step',
      file: '.github/workflows/stage-smoke-test.yml',
      from: '          timeout-seconds: ${{ inputs.timeout-seconds }}\n',
      to: '          timeout-seconds: ${{ inputs.timeout-seconds }}\n          checks: all\n',
      expected: 'smoke: npm start does not pass the input "checks"',
    },
    {
      change: 'another default of a stage input',
      file: '.github/workflows/stage-deploy-backend.yml',
      from: '        type: number\n        required: false\n        default: 15',
      to: '        type: number\n        required: false\n        default: 20',
      expected: 'backend: "timeout-minutes" is "20" in a deploy; npm start gives "15"',
    },
    {
      change: 'a same-origin front end no more',
      file: '.github/workflows/deploy.yml',
      from: '      api-base-url: "" # same origin: CloudFront routes /api/* to the ALB',
      to: '      api-base-url: https://api.example.com',
      expected: 'frontend: "api-base-url" is "https://api.example.com" in a deploy; npm start gives ""',
    },
    {
      change: 'another version deployed',
      file: '.github/workflows/deploy.yml',
      from: '      app-version: ${{ github.sha }}',
      to: '      app-version: v2',
      expected: 'backend: "environment" is "APP_VERSION=v2" in a deploy; npm start gives "APP_VERSION=<sha>"',
    },
    {
      change: 'a stage that runs another action',
      file: '.github/workflows/stage-publish-frontend.yml',
      from: '        uses: ./actions/publish-spa',
      to: '        uses: ./actions/publish-site',
      expected: 'frontend: the stage runs ./actions/publish-site; npm start runs ./actions/publish-spa',
    },
  ])('notices $change', ({ file, from, to, expected }) => {
    expect(differences(edited(file, from, to))).toContain(expected);
  });
});
