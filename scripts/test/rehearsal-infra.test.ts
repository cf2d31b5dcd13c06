// The "infra" stage creates what terraform/ declares, with its names and settings: checked against the Terraform
// source, then created in moto (and the kit's ECS fake) and read back.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { GetDistributionConfigCommand } from '@aws-sdk/client-cloudfront';
import { DescribeRepositoriesCommand } from '@aws-sdk/client-ecr';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { GetBucketVersioningCommand } from '@aws-sdk/client-s3';
import { startFakeEcs, type FakeEcs } from '@notebook-ship/local-aws';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { blocks, get, loadConfig, only, type Block, type Config, type Json } from '../../terraform/test/config';
import { workflowCall, workflowNamed, loadRepo } from '../../workflows/test/model';
import {
  CONTAINER_NAME,
  CONTAINER_PORT,
  DEPLOYMENT_CONFIGURATION,
  emulatorClients,
  generateAccessToken,
  provision,
  resourceNames,
  taskDefinition,
} from '../rehearsal/infra.mjs';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

let config: Config;
beforeAll(async () => {
  config = await loadConfig();
});

/** A Terraform string with `${var.x}` and `${local.x}` replaced by the defaults and the emulator's account. */
function evaluate(value: Json | undefined): string {
  if (typeof value === 'number') return String(value);
  if (typeof value !== 'string') throw new Error(`expected a string, got ${JSON.stringify(value)}`);
  return value.replace(/\$\{(var|local)\.(\w+)\}/g, (_, kind: string, name: string) => {
    if (kind === 'var') return String(get(config.variables, name).default);
    if (name === 'account_id') return ACCOUNT;
    if (name === 'region') return REGION;
    return evaluate(config.locals[name]);
  });
}

const names = () => resourceNames({ accountId: ACCOUNT, region: REGION });

describe('the infra stage follows terraform/', () => {
  it('names every resource as Terraform does', () => {
    const attribute = (resource: string, name: string) => evaluate(get(config.resources, resource)[name]);
    expect(names()).toEqual({
      repository: attribute('aws_ecr_repository.app', 'name'),
      cluster: attribute('aws_ecs_cluster.main', 'name'),
      service: attribute('aws_ecs_service.app', 'name'),
      taskFamily: attribute('aws_ecs_task_definition.app', 'family'),
      spaBucket: attribute('aws_s3_bucket.spa', 'bucket'),
      notebookBucket: attribute('aws_s3_bucket.notebooks', 'bucket'),
      secret: attribute('aws_secretsmanager_secret.access_token', 'name'),
      logGroup: attribute('aws_cloudwatch_log_group.app', 'name'),
    });
  });

  it('registers the task definition of terraform/ecs.tf', () => {
    const terraform = config.locals.app_container as Block;
    const resource = get(config.resources, 'aws_ecs_task_definition.app');
    const registered = taskDefinition({ names: names(), repositoryUrl: 'REPO', secretArn: 'SECRET', region: REGION });
    expect(registered).toMatchObject({
      family: evaluate(resource.family),
      cpu: evaluate(resource.cpu),
      memory: evaluate(resource.memory),
      networkMode: resource.network_mode,
      requiresCompatibilities: resource.requires_compatibilities,
    });
    const [container] = registered.containerDefinitions;
    expect(container?.name).toBe(evaluate(terraform.name));
    expect(CONTAINER_NAME).toBe(evaluate(terraform.name));
    expect(container?.portMappings).toEqual([
      { ...(terraform.portMappings as Block[])[0], containerPort: Number(evaluate((terraform.portMappings as Block[])[0]?.containerPort)) },
    ]);
    expect(CONTAINER_PORT).toBe(container?.portMappings[0]?.containerPort);
    // The same variables and secrets by name; APP_VERSION starts as var.app_version until a deploy sets the SHA.
    expect(container?.environment.map((variable) => variable.name)).toEqual(
      (terraform.environment as Block[]).map((variable) => variable.name),
    );
    expect(container?.environment[0]).toEqual({ name: 'APP_VERSION', value: evaluate((terraform.environment as Block[])[0]?.value) });
    expect(container?.environment[1]).toEqual({ name: 'NOTEBOOK_BUCKET', value: names().notebookBucket });
    expect(container?.secrets).toEqual([{ name: 'ACCESS_TOKEN', valueFrom: 'SECRET' }]);
    expect((terraform.secrets as Block[]).map((secret) => secret.name)).toEqual(['ACCESS_TOKEN']);
    expect(container?.linuxParameters).toEqual(terraform.linuxParameters);
    expect(container?.stopTimeout).toBe(terraform.stopTimeout);
  });

  it('deploys the service the way terraform/ecs.tf configures it', () => {
    const service = get(config.resources, 'aws_ecs_service.app');
    const breaker = only(service.deployment_circuit_breaker);
    expect(DEPLOYMENT_CONFIGURATION).toEqual({
      minimumHealthyPercent: service.deployment_minimum_healthy_percent,
      maximumPercent: service.deployment_maximum_percent,
      deploymentCircuitBreaker: { enable: breaker.enable, rollback: breaker.rollback },
    });
  });

  it('generates an access token like terraform/secrets.tf: 48 letters and digits', () => {
    const password = get(config.ephemeral, 'random_password.access_token');
    const token = generateAccessToken();
    expect(token).toHaveLength(password.length as number);
    expect(password.special).toBe(false);
    expect(token).toMatch(/^[A-Za-z0-9]+$/);
    expect(generateAccessToken()).not.toBe(token);
  });
});

describe('the infra stage in the emulator', () => {
  const moto = useMoto();
  let fakeEcs: FakeEcs;
  let result: Awaited<ReturnType<typeof provision>>;
  const lines: string[] = [];

  beforeAll(async () => {
    fakeEcs = await startFakeEcs({ region: REGION });
    result = await provision({
      clients: emulatorClients(moto.current.endpoint, REGION),
      fakeEcs,
      names: names(),
      accountId: ACCOUNT,
      region: REGION,
      apiPort: 43210,
      appUrl: 'http://127.0.0.1:8080',
      log: (line) => lines.push(line),
    });
  });
  afterAll(() => fakeEcs?.stop());

  it('outputs every Terraform output the deploy stages read, by stage-terraform.yml names', () => {
    const stage = workflowCall(workflowNamed(loadRepo(), 'stage-terraform.yml'));
    const awsOutputs = Object.keys(stage?.outputs ?? {}).filter((name) => !['status', 'run-url', 'has-changes'].includes(name));
    expect(Object.keys(result.outputs)).toEqual(expect.arrayContaining(awsOutputs));
    expect(result.outputs).toMatchObject({
      'aws-region': REGION,
      'ecr-repository-url': `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/notebook-ship`,
      'ecs-container-name': 'app',
      'app-url': 'http://127.0.0.1:8080',
    });
    expect(result.secrets).toEqual({ [result.outputs['access-token-secret-arn'] as string]: result.accessToken });
    expect(lines.join('\n')).not.toContain(result.accessToken);
  });

  it('creates the repository, the versioned buckets and the distribution in moto', async () => {
    const clients = emulatorClients(moto.current.endpoint, REGION);
    const { repositories } = await clients.ecr.send(new DescribeRepositoriesCommand({ repositoryNames: ['notebook-ship'] }));
    expect(repositories?.[0]?.imageScanningConfiguration?.scanOnPush).toBe(true);
    for (const bucket of [names().spaBucket, names().notebookBucket]) {
      expect((await clients.s3.send(new GetBucketVersioningCommand({ Bucket: bucket }))).Status).toBe('Enabled');
    }
    const { DistributionConfig: distribution } = await clients.cloudFront.send(
      new GetDistributionConfigCommand({ Id: result.outputs['cloudfront-distribution-id'] }),
    );
    expect(distribution?.Origins?.Items?.map((origin) => [origin.Id, origin.DomainName])).toEqual([
      ['spa-bucket', `${names().spaBucket}.s3.${REGION}.amazonaws.com`],
      ['api-alb', '127.0.0.1'],
    ]);
    expect(distribution?.Origins?.Items?.[1]?.CustomOriginConfig?.HTTPPort).toBe(43210);
    const terraform = get(config.resources, 'aws_cloudfront_distribution.app');
    expect(distribution?.CacheBehaviors?.Items?.map((behaviour) => [behaviour.PathPattern, behaviour.AllowedMethods?.Items])).toEqual(
      blocks(terraform, 'ordered_cache_behavior').map((behaviour) => [evaluate(behaviour.path_pattern), behaviour.allowed_methods]),
    );
    expect(distribution?.DefaultCacheBehavior?.TargetOriginId).toBe('spa-bucket');
  });

  it('creates the ECS service on the task definition, ready to be deployed', async () => {
    const ecs = new ECSClient({ region: REGION, endpoint: fakeEcs.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: 'notebook-ship', services: ['notebook-ship'] }));
    expect(services?.[0]).toMatchObject({
      taskDefinition: `arn:aws:ecs:${REGION}:${ACCOUNT}:task-definition/notebook-ship:1`,
      deploymentConfiguration: DEPLOYMENT_CONFIGURATION,
      deployments: [expect.objectContaining({ rolloutState: 'COMPLETED' })],
    });
    const { taskDefinition: registered } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'notebook-ship' }));
    expect(registered?.containerDefinitions?.[0]?.image).toBe(`${result.outputs['ecr-repository-url']}:bootstrap`);
    expect(registered?.containerDefinitions?.[0]?.secrets).toEqual([
      { name: 'ACCESS_TOKEN', valueFrom: result.outputs['access-token-secret-arn'] },
    ]);
  });
});
