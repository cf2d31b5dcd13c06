// The stages of `npm start`: deploy.yml's jobs played as a push to main runs them against the local AWS (moto behind a gateway that adds
// what moto lacks, and the scripted ECS), with terraform/ applied for real, the committed action bundles run as the
// runner runs them, and the app running as the ECS task would behind a local edge that plays the distribution
// Terraform created.
import { createServer } from 'node:net';
import { join } from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient } from '@aws-sdk/client-cloudwatch-logs';
import { mirrorAuditLog } from './audit-mirror';
import { freePort, startDistributionEdge, startLocalAws, type LocalAws } from '@notebook-ship/local-aws';
import { DEMO_USERS, startLocalOidc } from '@notebook-ship/local-oidc';
import { randomBytes } from 'node:crypto';
import type { Contexts, JobRun } from '@notebook-ship/workflows';
import { dockerEngineAnswers, imageStandIn } from './image';
import { jobStages } from './jobs';
import { playStage, type StandIns } from './play';
import type { Supervisor } from './processes';
import type { Stage } from './stages';
import { playScriptJob } from './script-job';
import { keepInAccount, type LocalState } from './state';
import { runActionStep } from './steps';
import { containerEnvironment, imageTaskRunner, secretReader, startTask, type RunningTask } from './task';
import { applySummary, outputValues, prepareTerraform } from './terraform';
import { loadDeployWorkflow, stageCall } from './workflow';
import { repoRoot } from '../../../scripts/lib/repo.mjs';

// The name CloudFront reaches the ALB by over HTTPS (terraform/'s origin_domain_name); nothing resolves it here, as
// the local edge sends the ALB origin's requests to the task.
const ORIGIN_DOMAIN = 'origin.notebook-ship.example.com';

function refuseBusyPort(error: NodeJS.ErrnoException & { port?: number }): never {
  if (error.code !== 'EADDRINUSE') throw error;
  throw new Error(`port ${error.port ?? ''} is in use (another npm start?): stop what uses it, or run \`npm start -- --port 0\` for a free port`);
}

/** terraform/'s kernel_launcher: kernels as child processes of the app, or one ECS task each. */
export type KernelLauncher = 'process' | 'ecs';

export interface RehearsalOptions {
  supervisor: Supervisor;
  log: (line: string) => void;
  edgePort: number;
  /** What `github.sha` is here. */
  version: string;
  workDir: string;
  docker?: () => boolean;
  onAppOutput?: (chunk: string) => void;
  /** The Terraform variable github_repository (owner/name). */
  githubRepository?: string;
  /** Fail the backend job once ECS started its deployment (its last step fails), to rehearse the rollback. */
  failBackend?: boolean;
  /** Where notebooks and the token are kept between runs (state.ts); without it, each run starts empty. */
  state?: LocalState;
  /** A new access token instead of the one `state` keeps. */
  rotateToken?: boolean;
  /** How the app runs kernels (process by default); with ecs, the local ECS runs their tasks as local processes. */
  kernels?: KernelLauncher;
}

/** What the stages learn, in order. */
export interface RehearsalState {
  version: string;
  aws?: LocalAws;
  terraformOutputs?: Record<string, unknown>;
  applySummary?: string;
  appUrl?: string;
  accessToken?: string;
  task?: RunningTask;
  /** How the app runs kernels, for the summary. */
  kernels: string;
  /** The local identity provider people sign in with, and its demo users. */
  signIn?: { issuer: string; users: string[] };
  /** The copy of the app's audit log (CloudWatch Logs) npm start keeps. */
  auditLog?: string;
}

// The app's client at the local identity provider (terraform/'s oidc_client_id); the secret is new each run.
const OIDC_CLIENT_ID = 'notebook';
const ADMIN_GROUP = 'admins';

export function deployRehearsal(options: RehearsalOptions): { state: RehearsalState; stages: Stage[] } {
  const { supervisor, log, edgePort, version, workDir, docker = dockerEngineAnswers, onAppOutput, kernels = 'process' } = options;
  const { repo, workflow } = loadDeployWorkflow();
  const state: RehearsalState = {
    version,
    kernels:
      kernels === 'ecs'
        ? 'ECS tasks (kernel_launcher = "ecs"), run by the local ECS as local processes, each on its own 127.0.0.N'
        : 'child processes of the app (kernel_launcher = "process")',
  };
  const github = { sha: version, ref: 'refs/heads/main', event_name: 'push', workflow: workflow.data.name ?? 'Deploy', run_id: '1', run_attempt: '1' };
  // The repository variables a user sets (docs/DEPLOYMENT.md); DEPLOY_ROLE_ARN once Terraform has made the role.
  const vars: Record<string, string> = { TF_CLOUD_ORGANIZATION: 'local', TF_WORKSPACE: 'local' };
  const needs: Record<string, JobRun> = {};
  let apiPort = 0;
  // The edge's port, chosen before Terraform runs: the identity provider must know the app's callback address.
  let appPort = edgePort;
  let ecs: ECSClient;
  let secrets: SecretsManagerClient;

  /**
   * What the actions and the task get to reach AWS: the local AWS, dummy credentials, and nothing of the developer's
   * own AWS set-up (no config or credentials file, no instance metadata).
   */
  const awsEnv = (): Record<string, string> => {
    if (!state.aws) throw new Error('the local AWS is not running');
    return {
      ...state.aws.env,
      AWS_CONFIG_FILE: join(workDir, 'no-aws-config'),
      AWS_SHARED_CREDENTIALS_FILE: join(workDir, 'no-aws-credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  };
  const clientConfig = () => ({ region: awsEnv().AWS_REGION, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });

  const standIns: StandIns = {
    async 'stage-terraform.yml#terraform'() {
      log('  ┆ ./actions/terraform-cloud applies in HCP Terraform in a deploy; here the same terraform/ is applied with');
      log('  ┆ the same provider against the local AWS (an empty account: this is a first deploy)');
      const aws = state.aws as LocalAws;
      const signIn = await startSignIn();
      const terraform = await prepareTerraform({
        workDir,
        writeOverride: (dir) => aws.writeTerraformOverride(dir),
        // The origin certificate a user brings for the ALB's HTTPS listener, requested from the local ACM, in the
        // Region the ALB is created in, which the override's provider block sets to the local AWS's.
        variables: {
          github_repository: options.githubRepository ?? 'local/notebook-ship',
          aws_region: aws.region,
          origin_domain_name: ORIGIN_DOMAIN,
          origin_certificate_arn: await aws.requestCertificate(ORIGIN_DOMAIN),
          ...(kernels === 'ecs' ? { kernel_launcher: 'ecs' } : {}),
          ...signIn,
        },
        supervisor,
        print: log,
      });
      await terraform.run(['init', '-input=false', '-no-color', '-lockfile=readonly'], { quiet: true });
      const { stdout } = await terraform.run(['apply', '-auto-approve', '-input=false', '-no-color']);
      state.applySummary = applySummary(stdout);
      const outputs = outputValues((await terraform.run(['output', '-json'], { quiet: true })).stdout);
      state.terraformOutputs = outputs;
      vars.DEPLOY_ROLE_ARN = String(outputs.deploy_role_arn ?? '');
      if (options.state) await keepState(options.state, outputs);
      keepAuditLog(String(outputs.audit_log_group ?? ''));
      const edge = await startDistributionEdge({
        cloudFront: new CloudFrontClient({ ...clientConfig(), endpoint: aws.env.AWS_ENDPOINT_URL }),
        s3: new S3Client({ ...clientConfig(), endpoint: aws.env.AWS_ENDPOINT_URL, forcePathStyle: true }),
        distributionId: String(outputs.cloudfront_distribution_id),
        // The ALB: the app task itself, on loopback (no load balancer is emulated).
        backendUrl: () => `http://127.0.0.1:${apiPort}`,
        port: appPort,
      }).catch(refuseBusyPort);
      supervisor.track('local CloudFront', () => edge.close());
      state.appUrl = edge.url;
      log(`  ┆ ${state.applySummary}`);
      log(`  ┆ app_url is ${String(outputs.app_url)} in AWS; the distribution is played locally at ${edge.url}, which the`);
      log('  ┆ later jobs get as app-url (the emulated CloudFront has no edge to reach)');
      const changed = !/Resources: 0 added, 0 changed, 0 destroyed/.test(state.applySummary);
      return {
        outputs: { outputs: JSON.stringify({ ...outputs, app_url: edge.url }), status: 'applied', 'has-changes': String(changed), 'run-url': '' },
      };
    },
    'stage-build-image.yml#image': imageStandIn({ docker, version, log, publish: (image) => putImageManifest(image) }),
    async 'stage-deploy-backend.yml#revision'({ env, call }) {
      if (options.failBackend && call.job === 'backend') {
        throw new Error('the backend job fails after ECS started its deployment (--fail-backend)');
      }
      const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: env.TASK_DEFINITION }));
      const container = taskDefinition?.containerDefinitions?.find((candidate) => !env.CONTAINER || candidate.name === env.CONTAINER);
      const appVersion = container?.environment?.find((variable) => variable.name === 'APP_VERSION')?.value ?? '';
      log(`  ┆ APP_VERSION of ${env.TASK_DEFINITION}: ${appVersion || '(none)'}`);
      return { outputs: { 'app-version': appVersion } };
    },
    async 'stage-smoke-test.yml#token'({ env }) {
      const token = await secretReader(secrets)(env.SECRET_ARN ?? '');
      if (!token) throw new Error(`the secret ${env.SECRET_ARN} has no value: terraform/ writes it`);
      state.accessToken = token;
      log(`  ┆ the access token: read from Secrets Manager (${env.SECRET_ARN})`);
      return { outputs: { 'access-token': token } };
    },
  };

  /** The notebooks and token of earlier runs into the bucket and secret Terraform made; the bucket mirrored back. */
  async function keepState(local: LocalState, outputs: Record<string, unknown>) {
    const aws = state.aws as LocalAws;
    const bucket = String(outputs.notebook_bucket_name ?? '');
    const secretArn = String(outputs.access_token_secret_arn ?? '');
    if (!bucket || !secretArn) throw new Error('terraform/ has no notebook_bucket_name or access_token_secret_arn output: npm start keeps its state there');
    const s3 = new S3Client({ ...clientConfig(), endpoint: aws.env.AWS_ENDPOINT_URL, forcePathStyle: true });
    const mirror = await keepInAccount({ local, s3, secrets, bucket, secretArn, rotateToken: options.rotateToken, log });
    supervisor.track('notebook bucket mirror', () => mirror.stop());
  }

  /** The audit log the app sends to the local CloudWatch Logs, copied into a file kept with the notebooks. */
  function keepAuditLog(group: string) {
    if (!group) throw new Error('terraform/ has no audit_log_group output: the app would have no audit log');
    const aws = state.aws as LocalAws;
    state.auditLog = options.state?.auditLog ?? join(workDir, 'audit.log');
    const logs = new CloudWatchLogsClient({ ...clientConfig(), endpoint: aws.env.AWS_ENDPOINT_URL });
    const mirror = mirrorAuditLog({ logs, group, file: state.auditLog });
    supervisor.track('audit log copy', () => mirror.stop());
  }

  /**
   * After a job that deployed the backend: ECS replaces the service's task with one of the revision its deployment
   * runs, or stops it when the service asks for none (a first deploy taken back).
   */
  async function startServiceTask(job: string) {
    const outputs = needs[job]?.outputs ?? {};
    if (state.task) {
      log(`  ┆ ECS stops the task that ran (uvicorn pid ${state.task.pid})`);
      await state.task.stop();
      state.task = undefined;
    }
    const cluster = String(state.terraformOutputs?.ecs_cluster_name);
    const serviceName = String(state.terraformOutputs?.ecs_service_name);
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster, services: [serviceName] }));
    const service = services?.[0];
    const revision = service?.deployments?.find((deployment) => deployment.status === 'PRIMARY')?.taskDefinition ?? service?.taskDefinition;
    if (job !== 'backend' && service?.desiredCount === 0) {
      log(`  ┆ the service ${serviceName} asks for no task: none runs`);
      return;
    }
    if (!revision || !service?.desiredCount) throw new Error(`the service ${serviceName} runs no task after the deploy (desired count ${service?.desiredCount ?? 0})`);
    const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: revision }));
    const name = String(state.terraformOutputs?.ecs_container_name);
    const container = taskDefinition?.containerDefinitions?.find((candidate) => candidate.name === name);
    if (!container) throw new Error(`${revision} has no container named "${name}"`);
    if (kernels === 'ecs') {
      const variable = (wanted: string) => container.environment?.find(({ name: named }) => named === wanted)?.value;
      const launcher = variable('KERNEL_LAUNCHER');
      if (launcher !== 'ecs') {
        // An undeclared TF_VAR_ is ignored by Terraform: say why the app would not run its kernels as tasks.
        throw new Error(
          `--kernels ecs: ${revision} sets KERNEL_LAUNCHER=${launcher ?? '(unset)'}, not ecs: terraform/ must declare the ` +
            'variable kernel_launcher and give the server container KERNEL_LAUNCHER and the KERNEL_ECS_* values from it',
        );
      }
      log(`  ┆ KERNEL_LAUNCHER=ecs: each kernel is a task of ${variable('KERNEL_ECS_TASK_DEFINITION') ?? '(no KERNEL_ECS_TASK_DEFINITION)'}, which the local ECS`);
      log('  ┆ runs from backend/.venv on a loopback address of its own; their output goes to the app log');
    }
    log(`  ┆ ECS starts the task: ${revision} (deployed ${outputs['task-definition-arn'] ?? ''}), its container "${name}"`);
    log(`  ┆ run from backend/.venv on 127.0.0.1:${apiPort}, its secrets read from Secrets Manager`);
    state.task = await startTask({
      supervisor,
      environment: await containerEnvironment(container, secretReader(secrets)),
      publicUrl: state.appUrl,
      awsEnv: awsEnv(),
      port: apiPort,
      onOutput: onAppOutput,
    });
    log(`  ┆ the task is healthy: ${state.task.url}/health answers 200 (uvicorn pid ${state.task.pid})`);
  }

  const afterJob: Record<string, () => Promise<void>> = {
    backend: () => startServiceTask('backend'),
    'rollback-backend': () => startServiceTask('rollback-backend'),
  };

  /** terraform/'s sign-in variables for a local OpenID Connect provider with two demo users, Alice an admin. */
  async function startSignIn(): Promise<Record<string, string>> {
    appPort ||= await freePort();
    const app = `http://127.0.0.1:${appPort}`;
    const clientSecret = randomBytes(24).toString('hex');
    const oidc = await startLocalOidc({
      clients: [{ clientId: OIDC_CLIENT_ID, clientSecret, redirectUris: [`${app}/api/auth/callback`], postLogoutRedirectUris: [`${app}/`] }],
    });
    supervisor.track('local OpenID Connect provider', () => oidc.close());
    const users = DEMO_USERS.map((user) => `${user.name} <${user.email}>${user.groups.includes(ADMIN_GROUP) ? ' (admin)' : ''}`);
    state.signIn = { issuer: oidc.issuer, users };
    log(`  ┆ people sign in at a local OpenID Connect provider, ${oidc.issuer}, as ${users.join(' or ')}`);
    return {
      oidc_issuer: oidc.issuer,
      oidc_client_id: OIDC_CLIENT_ID,
      oidc_client_secret: clientSecret,
      admin_groups: JSON.stringify([ADMIN_GROUP]),
    };
  }

  async function startAws() {
    // Before minutes of terraform apply: the app's port must be free for the edge that starts after it.
    if (edgePort !== 0) {
      const probe = createServer();
      await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(edgePort, '127.0.0.1', resolve)).catch(refuseBusyPort);
      await new Promise((resolve) => probe.close(resolve));
    }
    // With --kernels ecs, the app's RunTask of a kernel task starts the agent from backend/.venv, as the app runs.
    const taskRunner =
      kernels === 'ecs' ? imageTaskRunner({ awsEnv, readSecret: (arn) => secretReader(secrets)(arn), onOutput: onAppOutput }) : undefined;
    const aws = await startLocalAws({ taskRunner });
    state.aws = aws;
    supervisor.track('local AWS', () => aws.stop(), aws.pid);
    ecs = new ECSClient({ ...clientConfig(), endpoint: aws.env.AWS_ENDPOINT_URL_ECS ?? aws.env.AWS_ENDPOINT_URL });
    secrets = new SecretsManagerClient({ ...clientConfig(), endpoint: aws.env.AWS_ENDPOINT_URL });
    apiPort = await freePort();
    for (const line of aws.describe()) log(`  ${line}`);
  }

  /** `<registry>/<repository>:<tag>` into the ECR repository Terraform made, as a manifest with no layers. */
  async function putImageManifest(image: string) {
    const slash = image.indexOf('/');
    const colon = image.lastIndexOf(':');
    const ecr = new ECRClient({ ...clientConfig(), endpoint: awsEnv().AWS_ENDPOINT_URL });
    const imageManifest = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.oci.image.manifest.v1+json', annotations: { image } });
    await ecr.send(
      new PutImageCommand({ repositoryName: image.slice(slash + 1, colon), imageTag: image.slice(colon + 1), imageManifest }),
    );
  }

  async function playJob(job: string, jobContexts: Contexts) {
    // No repository secret reaches a laptop: the one step that reads one (terraform-cloud's token) has a stand-in.
    const contexts = { ...jobContexts, inputs: {}, secrets: {} };
    const caller = workflow.data.jobs[job];
    if (caller && !caller.uses) return playScriptJob(caller, contexts, { cwd: repoRoot, workDir, log, name: job });
    const call = stageCall(repo, workflow, job, contexts);
    const result = await playStage(call, {
      contexts,
      standIns,
      log,
      runAction: (action, inputs, stage) =>
        runActionStep({
          action,
          inputs,
          env: {
            ...awsEnv(),
            // The runner runs actions on node24; whether this node suits the SDK's next versions is not the pipeline's concern.
            AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
            GITHUB_SHA: version, GITHUB_REF: github.ref, GITHUB_EVENT_NAME: 'push', GITHUB_WORKFLOW: github.workflow, GITHUB_JOB: stage.stageJobId },
          timeoutMinutes: stage.timeoutMinutes,
          supervisor,
          print: log,
        }),
    });
    needs[job] = { outputs: result.outputs, result: 'success' };
    await afterJob[job]?.();
    return result;
  }

  const stages: Stage[] = [
    { name: 'local AWS', title: 'an empty AWS account on 127.0.0.1', run: startAws },
    // The jobs run against the local AWS: without it none starts, whatever its if: says.
    ...jobStages(workflow, { github, vars }, needs, playJob).map((stage) => ({
      ...stage,
      decide: () => (state.aws ? stage.decide?.() : 'local AWS failed'),
    })),
  ];
  return { state, stages };
}
