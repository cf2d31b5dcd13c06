import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DeleteClusterCommand,
  DeleteServiceCommand,
  DescribeClustersCommand,
  DescribeServicesCommand,
  ECSClient,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  UntagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { startFakeEcs, type FakeEcs } from '../src/index';

// The fake ECS as Terraform's aws_ecs_cluster and aws_ecs_service use it: what was sent is described back.

let fake: FakeEcs;
let client: ECSClient;
beforeEach(async () => {
  fake = await startFakeEcs({ region: 'eu-west-2' });
  client = new ECSClient({ region: 'eu-west-2', endpoint: fake.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterEach(() => fake.stop());

const TAGS = [{ key: 'Project', value: 'notebook-ship' }];

async function cluster(): Promise<string> {
  const { cluster: created } = await client.send(
    new CreateClusterCommand({ clusterName: 'app', settings: [{ name: 'containerInsights', value: 'enabled' }], tags: TAGS }),
  );
  return created?.clusterArn as string;
}

describe('clusters', () => {
  it('describes settings and tags when asked to include them, and refuses deletion while a service is active', async () => {
    const arn = await cluster();
    const bare = await client.send(new DescribeClustersCommand({ clusters: ['app'] }));
    expect(bare.clusters?.[0]).toMatchObject({ clusterArn: arn, status: 'ACTIVE' });
    expect(bare.clusters?.[0]?.settings).toBeUndefined();
    const full = await client.send(new DescribeClustersCommand({ clusters: [arn], include: ['SETTINGS', 'TAGS'] }));
    expect(full.clusters?.[0]).toMatchObject({ settings: [{ name: 'containerInsights', value: 'enabled' }], tags: TAGS });
    expect((await client.send(new DescribeClustersCommand({ clusters: ['other'] }))).failures).toEqual([
      { arn: 'arn:aws:ecs:eu-west-2:123456789012:cluster/other', reason: 'MISSING' },
    ]);

    fake.registerTaskDefinition({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx' }] });
    await client.send(new CreateServiceCommand({ cluster: 'app', serviceName: 'web', taskDefinition: 'web', desiredCount: 0 }));
    await expect(client.send(new DeleteClusterCommand({ cluster: 'app' }))).rejects.toMatchObject({ name: 'ClusterContainsServicesException' });
    await client.send(new DeleteServiceCommand({ cluster: 'app', service: 'web' }));
    const { cluster: deleted } = await client.send(new DeleteClusterCommand({ cluster: 'app' }));
    expect(deleted?.status).toBe('INACTIVE');
  });
});

describe('services', () => {
  it('describe what CreateService and UpdateService sent, and are INACTIVE once deleted', async () => {
    await cluster();
    const { taskDefinition } = await client.send(
      new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx' }], tags: TAGS }),
    );
    const networkConfiguration = { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' as const } };
    const { service } = await client.send(
      new CreateServiceCommand({
        cluster: 'app',
        serviceName: 'web',
        taskDefinition: taskDefinition?.taskDefinitionArn,
        desiredCount: 1,
        launchType: 'FARGATE',
        platformVersion: 'LATEST',
        availabilityZoneRebalancing: 'DISABLED',
        networkConfiguration,
        loadBalancers: [{ targetGroupArn: 'arn:tg', containerName: 'web', containerPort: 8000 }],
        deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0, deploymentCircuitBreaker: { enable: true, rollback: true } },
        healthCheckGracePeriodSeconds: 60,
        propagateTags: 'SERVICE',
        enableECSManagedTags: true,
        tags: TAGS,
      }),
    );
    expect(service).toMatchObject({ status: 'ACTIVE', tags: TAGS, networkConfiguration, availabilityZoneRebalancing: 'DISABLED' });

    await client.send(new UpdateServiceCommand({ cluster: 'app', service: 'web', healthCheckGracePeriodSeconds: 30, desiredCount: 0 }));
    const described = await client.send(new DescribeServicesCommand({ cluster: 'app', services: ['web'], include: ['TAGS'] }));
    expect(described.services?.[0]).toMatchObject({
      desiredCount: 0,
      healthCheckGracePeriodSeconds: 30,
      platformVersion: 'LATEST',
      propagateTags: 'SERVICE',
      enableECSManagedTags: true,
      loadBalancers: [{ targetGroupArn: 'arn:tg', containerName: 'web', containerPort: 8000 }],
      deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0, deploymentCircuitBreaker: { enable: true, rollback: true } },
      tags: TAGS,
    });

    await client.send(new UntagResourceCommand({ resourceArn: service?.serviceArn, tagKeys: ['Project'] }));
    expect((await client.send(new ListTagsForResourceCommand({ resourceArn: service?.serviceArn }))).tags).toEqual([]);
    await client.send(new DeleteServiceCommand({ cluster: 'app', service: 'web' }));
    expect((await client.send(new DescribeServicesCommand({ cluster: 'app', services: ['web'] }))).services?.[0]?.status).toBe('INACTIVE');
    await expect(client.send(new UpdateServiceCommand({ cluster: 'app', service: 'web', desiredCount: 1 }))).rejects.toMatchObject({
      name: 'ServiceNotActiveException',
    });
  });

  it('refuses to delete a service that still asks for tasks unless forced', async () => {
    await cluster();
    fake.registerTaskDefinition({ family: 'web', containerDefinitions: [{ name: 'web', image: 'nginx' }] });
    await client.send(new CreateServiceCommand({ cluster: 'app', serviceName: 'web', taskDefinition: 'web', desiredCount: 1 }));
    await expect(client.send(new DeleteServiceCommand({ cluster: 'app', service: 'web' }))).rejects.toMatchObject({ name: 'InvalidParameterException' });
    await client.send(new DeleteServiceCommand({ cluster: 'app', service: 'web', force: true }));
  });
});
