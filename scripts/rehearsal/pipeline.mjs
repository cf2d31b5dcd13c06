// The stages of `npm start`: deploy.yml's jobs played against an embedded AWS (moto on loopback, plus the kit's
// scripted ECS fake, whose rollouts complete: moto's do not), with the committed action bundles run as the runner
// runs them, and the app running as the ECS task would behind a local edge that plays CloudFront.
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ECSClient } from '@aws-sdk/client-ecs';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { startEdge } from '../../frontend/scripts/serve.mjs';
import { bucketOrigin } from './bucket-origin.mjs';
import { emulatorClients, provision, resourceNames } from './infra.mjs';
import { skipped } from './stages.mjs';
import { runActionStep } from './steps.mjs';
import { describeContainer, startTask } from './task.mjs';
import { actionInputs, DEPLOY_JOBS, REHEARSAL_OVERRIDES } from './workflow.mjs';

const REGION = 'us-east-1';

/** Whether a Docker engine answers (`docker info` succeeds). */
export function dockerEngineAnswers() {
  // The env is passed explicitly so a caller's PATH (a test's fake docker) is the one searched.
  const result = spawnSync('docker', ['info'], { stdio: 'ignore', timeout: 20_000, env: process.env });
  return result.status === 0;
}

/** Why the image stage skips itself without a Docker engine, and what the deploy runs instead. */
export const NO_DOCKER_REASON = 'no Docker engine (`docker info` failed); the task runs the backend from backend/.venv';

const JOB = Object.fromEntries(DEPLOY_JOBS.map((entry) => [entry.job, entry]));

/**
 * What the actions and the task get to reach AWS: the emulator (ECS: the scripted fake beside it), dummy
 * credentials, and nothing of the developer's own AWS set-up (no config or credentials file, no instance metadata).
 */
export function emulatorEnvironment({ moto, fakeEcs, region, workDir }) {
  return {
    ...moto.env,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ENDPOINT_URL_ECS: fakeEcs.endpoint,
    AWS_CONFIG_FILE: join(workDir, 'no-aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true',
    // The runner runs actions on node24; whether this node suits the SDK's next versions is not the pipeline's concern.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/**
 * @param {{ kit: import('./kit.d.mts').Kit, supervisor: ReturnType<import('./processes.mjs').createSupervisor>,
 *   log: (line: string) => void, edgePort: number, version: string, workDir: string, docker?: () => boolean,
 *   onAppOutput?: (chunk: string) => void }} options
 */
export function deployStages({ kit, supervisor, log, edgePort, version, workDir, docker = dockerEngineAnswers, onAppOutput }) {
  /** What the stages learn, in order: the emulator, the Terraform outputs, the image, the running task. */
  const state = { version };
  const github = (job) => ({
    GITHUB_SHA: version,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_EVENT_NAME: 'push',
    GITHUB_WORKFLOW: 'Deploy',
    GITHUB_JOB: job,
  });
  const facts = () => ({
    outputs: state.outputs,
    sha: version,
    image: state.image,
    accessToken: state.accessToken,
  });
  /** The job's action step, with the inputs its stage gives it in a deploy (and the rehearsal's `overrides`). */
  const step = (job, overrides = {}) =>
    runActionStep(kit, {
      action: JOB[job].action,
      inputs: { ...actionInputs(job, facts()), ...overrides },
      env: { ...state.awsEnv, ...github(job) },
      timeoutMinutes: JOB[job].timeoutMinutes,
      supervisor,
      print: log,
    });

  return {
    state,
    /** Each stage's work, by the stage names of DEPLOY_JOBS. */
    run: {
      async infra() {
        log(
          '  In the real pipeline Terraform runs in Terraform Cloud (./actions/terraform-cloud, not run here);\n' +
            '  here the resources terraform/ declares are created in an embedded AWS on loopback.',
        );
        const moto = await kit.startMoto();
        supervisor.track('moto_server', () => moto.stop(), moto.pid);
        log(`  AWS emulator        moto_server on ${moto.endpoint} (pid ${moto.pid})`);
        // Rollouts settle on the first look after the update: the task is started from the revision right after.
        const fakeEcs = await kit.startFakeEcs({ region: REGION, defaultRollout: { outcome: 'COMPLETED', afterPolls: 1 } });
        supervisor.track('ECS (scripted fake)', () => fakeEcs.stop());
        log(`  ECS emulator        the kit's scripted ECS on ${fakeEcs.endpoint} (moto does not roll services out)`);
        state.awsEnv = emulatorEnvironment({ moto, fakeEcs, region: REGION, workDir });
        const clients = emulatorClients(moto.endpoint, REGION);
        state.ecs = new ECSClient({
          region: REGION,
          endpoint: fakeEcs.endpoint,
          credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
        });
        const { Account: accountId } = await clients.sts.send(new GetCallerIdentityCommand({}));
        const names = resourceNames({ accountId, region: REGION });

        state.apiPort = await kit.freePort();
        const edge = await startEdge({
          site: bucketOrigin({ s3: clients.s3, bucket: names.spaBucket }),
          api: `http://127.0.0.1:${state.apiPort}`,
          port: edgePort,
        }).catch((error) => {
          if (error.code !== 'EADDRINUSE') throw error;
          throw new Error(
            `port ${edgePort} is in use (another npm start?): stop what uses it, or run \`npm start -- --port 0\` for a free port`,
          );
        });
        supervisor.track('local CloudFront', () => edge.close());
        const infra = await provision({
          clients,
          fakeEcs,
          names,
          accountId,
          region: REGION,
          apiPort: state.apiPort,
          appUrl: edge.url,
          log: (line) => log(`  ${line}`),
        });
        Object.assign(state, { outputs: infra.outputs, accessToken: infra.accessToken, secrets: infra.secrets, names });
        state.appUrl = edge.url;
      },
      async image() {
        // The tag build-push-image pushes in AWS (where the deploy pins the digest it outputs); nothing is pushed here.
        state.image = `${state.outputs['ecr-repository-url']}:${version}`;
        if (!docker()) {
          const inputs = Object.entries(actionInputs('image', facts())).map(([name, value]) => `${name}: ${value}`);
          log(`  ┆ uses: ./actions/${JOB.image.action} (not run) with ${inputs.join(', ')}`);
          log(`  ┆ the deploy below uses the image reference ${state.image}`);
          return skipped(NO_DOCKER_REASON);
        }
        const overrides = REHEARSAL_OVERRIDES.image;
        const changed = Object.entries(overrides).map(([name, value]) => `${name}: ${value}`);
        log(
          `  ┆ with deploy.yml's inputs but ${changed.join(', ')}: the emulated ECR cannot receive an image (moto has no\n` +
            '  ┆ registry API for docker login, push or the build cache), so the image is built and not pushed',
        );
        const outputs = await step('image', overrides);
        log(`  ┆ built${outputs.digest ? ` ${outputs.digest}` : ''}, not pushed (image output: "${outputs.image ?? ''}")`);
        log(`  ┆ the deploy below uses the image reference ${state.image}; the task runs the backend from backend/.venv`);
      },
      async backend() {
        const outputs = await step('backend');
        const revision = outputs['task-definition-arn'];
        const container = await describeContainer(state.ecs, revision, state.outputs['ecs-container-name']);
        const appVersion = container.environment?.find((variable) => variable.name === 'APP_VERSION')?.value ?? '';
        log(`  ┆ APP_VERSION of ${revision}: ${appVersion || '(none)'}`);
        log(`  ┆ starting the task: the container of ${revision}, from backend/.venv on 127.0.0.1:${state.apiPort}`);
        state.task = await startTask({
          supervisor,
          container,
          secrets: state.secrets,
          awsEnv: state.awsEnv,
          port: state.apiPort,
          onOutput: onAppOutput,
        });
        log(`  ┆ the task is healthy: ${state.task.url}/health answers 200 (uvicorn pid ${state.task.pid})`);
      },
      async frontend() {
        await step('frontend');
      },
      async smoke() {
        log('  ┆ the access token: read from Secrets Manager in AWS, handed over here');
        await step('smoke');
      },
    },
  };
}
