import { beforeEach, describe, expect, it } from '@jest/globals';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  UpdateServiceCommand,
  type ContainerDefinition,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { recordingIo } from '@notebook-ship/action-kit/testing';
import { deploy } from '../src/deploy';
import { createEcrApi } from '../src/ecr-api';
import { createEcsApi } from '../src/ecs-api';
import type { DeployConfig } from '../src/inputs';
import { arn } from './helpers';

// deploy() with mocked ECS and ECR clients: the image check before UpdateService, and what it refuses.
const ecs = mockClient(new ECSClient({ region: 'us-east-1' }));
const ecrClient = new ECRClient({ region: 'us-east-1' });
const ecr = mockClient(ecrClient);
const regions: string[] = [];

const REPOSITORY = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook';
const GONE = `${REPOSITORY}@sha256:${'d'.repeat(64)}`;
const NEW = `${REPOSITORY}@sha256:${'b'.repeat(64)}`;

const revision = (number: number, containers: ContainerDefinition[]) => ({
  taskDefinition: { taskDefinitionArn: arn(number), family: 'notebook', status: 'ACTIVE' as const, containerDefinitions: containers },
  tags: [],
});

beforeEach(() => {
  ecs.reset();
  ecr.reset();
  regions.length = 0;
  ecs.on(ListTaskDefinitionsCommand).resolves({ taskDefinitionArns: [] });
  ecs.on(DescribeServicesCommand).resolves({
    services: [{ serviceName: 'notebook', clusterArn: 'arn:aws:ecs:us-east-1:123456789012:cluster/prod', status: 'ACTIVE', desiredCount: 1, taskDefinition: arn(3), events: [] }],
  });
  ecs.on(DescribeTaskDefinitionCommand).resolves(revision(3, [{ name: 'notebook', image: `${REPOSITORY}:running`, essential: true }]));
  ecs.on(UpdateServiceCommand).resolves({ service: { deployments: [] } });
  ecr.on(DescribeImagesCommand).resolves({ imageDetails: [{}] });
});

const error = (name: string, message: string) => Object.assign(new Error(message), { name });

function config(overrides: Partial<DeployConfig> = {}): DeployConfig {
  return {
    cluster: 'prod',
    service: 'notebook',
    region: '',
    source: { kind: 'render', change: { image: NEW, containerName: '', environment: new Map() } },
    minimumHealthyPercent: 0,
    maximumPercent: 100,
    circuitBreaker: true,
    wait: false,
    timeoutMs: 60_000,
    pollIntervalMs: 1_000,
    allowVersionWithoutImage: false,
    verifyImage: true,
    ...overrides,
  };
}

async function run(settings: DeployConfig) {
  const io = recordingIo();
  const api = createEcrApi((region) => (regions.push(region), ecrClient));
  const outcome = await deploy(settings, { ecs: createEcsApi(ecs as unknown as ECSClient, 'us-east-1'), ecr: api }, 'us-east-1', io);
  return { outcome, lines: io.infos };
}
const updates = () => ecs.commandCalls(UpdateServiceCommand);
const rollbackTo = (number: number) => config({ source: { kind: 'revision', reference: arn(number) } });

describe('the image check before UpdateService', () => {
  it('asks ECR for the rendered image by digest, then updates the service', async () => {
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: arn(4) } });
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(4) }).resolves(revision(4, [{ name: 'notebook', image: NEW, essential: true }]));
    const { outcome, lines } = await run(config());
    expect(outcome.kind).toBe('finished');
    expect(ecr.commandCalls(DescribeImagesCommand).map((call) => call.args[0].input)).toEqual([
      { registryId: '123456789012', repositoryName: 'notebook', imageIds: [{ imageDigest: `sha256:${'b'.repeat(64)}` }] },
    ]);
    expect(updates()).toHaveLength(1);
    expect(outcome.report.imageCheck).toBe('1 ECR image verified to exist before the update');
    expect(lines).toContain(`Image of container "notebook" exists in ECR: ${NEW}.`);
  });

  it('refuses a missing image with no UpdateService, naming the container, the image and the fix', async () => {
    ecs.on(RegisterTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: arn(4) } });
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(4) }).resolves(revision(4, [{ name: 'notebook', image: NEW, essential: true }]));
    ecr.on(DescribeImagesCommand).rejects(error('ImageNotFoundException', "The image with imageId {imageDigest:'sha256:bbb'} does not exist"));
    const { outcome } = await run(config());
    expect(outcome.kind).toBe('interrupted');
    expect(updates()).toHaveLength(0);
    const message = (outcome as { error: Error }).error.message;
    expect((outcome as { error: Error }).error.name).toBe('ConfigurationError');
    expect(message).toContain(`container "notebook" of notebook:4 names image ${NEW}, which does not exist`);
    expect(message).toContain('push it first, or check the tag or digest');
    expect(message).toContain('The service was not updated: it still runs its old revision.');
  });

  it('refuses a rollback to a revision whose image expired, in the region the host names', async () => {
    const eu = `123456789012.dkr.ecr.eu-west-1.amazonaws.com/notebook:${'old'}`;
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(2) }).resolves(revision(2, [{ name: 'notebook', image: eu }]));
    ecr.on(DescribeImagesCommand).rejects(error('ImageNotFoundException', 'gone'));
    const { outcome } = await run(rollbackTo(2));
    expect(outcome.kind).toBe('interrupted');
    expect(updates()).toHaveLength(0);
    expect(regions).toEqual(['eu-west-1']);
    expect(ecr.commandCalls(DescribeImagesCommand)[0]?.args[0].input.imageIds).toEqual([{ imageTag: 'old' }]);
  });

  it('says a repository that does not exist is the name to check', async () => {
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(2) }).resolves(revision(2, [{ name: 'notebook', image: GONE }]));
    ecr.on(DescribeImagesCommand).rejects(error('RepositoryNotFoundException', 'no repo'));
    const { outcome } = await run(rollbackTo(2));
    expect(updates()).toHaveLength(0);
    expect((outcome as { error: Error }).error.message).toContain('ECR has no repository "notebook" in registry 123456789012 (us-east-1)');
  });

  it('names ecr:DescribeImages and verify-image when access is denied', async () => {
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(2) }).resolves(revision(2, [{ name: 'notebook', image: GONE }]));
    ecr.on(DescribeImagesCommand).rejects(error('AccessDeniedException', 'not authorized to perform: ecr:DescribeImages'));
    const { outcome } = await run(rollbackTo(2));
    expect(updates()).toHaveLength(0);
    const failure = (outcome as { error: Error }).error;
    expect(failure.name).toBe('ConfigurationError');
    expect(failure.message).toContain('lacks ecr:DescribeImages on repository "notebook"');
    expect(failure.message).toContain('verify-image: false');
  });

  it('lets other errors through unchanged (the SDK already retried throttling and 5xx)', async () => {
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(2) }).resolves(revision(2, [{ name: 'notebook', image: GONE }]));
    ecr.on(DescribeImagesCommand).rejects(error('ServerException', 'boom'));
    const { outcome } = await run(rollbackTo(2));
    expect(updates()).toHaveLength(0);
    expect((outcome as { error: Error }).error.name).toBe('ServerException');
  });

  it('does not ask about images in other registries, and says so', async () => {
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(2) }).resolves(
      revision(2, [{ name: 'notebook', image: 'ghcr.io/acme/notebook:1' }, { name: 'proxy', image: 'nginx:1.27' }]),
    );
    const { outcome, lines } = await run(rollbackTo(2));
    expect(outcome.kind).toBe('finished');
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(0);
    expect(updates()).toHaveLength(1);
    expect(lines).toContain('Not in ECR, so not verified: notebook (ghcr.io/acme/notebook:1), proxy (nginx:1.27).');
    expect(outcome.report.imageCheck).toBe('no ECR image to verify');
  });

  it('skips the check with verify-image false', async () => {
    ecs.on(DescribeTaskDefinitionCommand, { taskDefinition: arn(2) }).resolves(revision(2, [{ name: 'notebook', image: GONE }]));
    ecr.on(DescribeImagesCommand).rejects(error('ImageNotFoundException', 'gone'));
    const { outcome } = await run({ ...rollbackTo(2), verifyImage: false });
    expect(outcome.kind).toBe('finished');
    expect(ecr.commandCalls(DescribeImagesCommand)).toHaveLength(0);
    expect(updates()).toHaveLength(1);
    expect(outcome.report.imageCheck).toBe('skipped (verify-image: false)');
  });
});
