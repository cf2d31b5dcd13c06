import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  CreateClusterCommand,
  CreateServiceCommand,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListTagsForResourceCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { DescribeImagesCommand, ECRClient } from '@aws-sdk/client-ecr';
import { runActionBundle } from '@notebook-ship/action-kit/testing';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { toRegisterInput } from '../src/task-definition';
import { bundle, digest, notebookDefinition, putEcrImage, registrableTags } from './helpers';

// The committed bundle against moto: register, describe, update and tag for real, and the errors a user meets.
// moto reports the service's single deployment COMPLETED (MOTO_ECS_SERVICE_RUNNING=1) but creates no deployment
// on UpdateService, so a new revision's rollout cannot be followed here (the fake ECS plays those).
const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
const region = 'us-east-1';
const runningImage = (notebookDefinition().taskDefinition.containerDefinitions as Array<{ image: string }>)[0]?.image;

let ecs: ECSClient;
let ecr: ECRClient;
let arns: string[];
beforeEach(async () => {
  await moto.current.reset();
  ecs = new ECSClient({ region });
  ecr = new ECRClient({ region });
  // Every image these tests deploy exists in moto's ECR, as a pushed image does: deploy-ecs looks each one up.
  for (const image of [runningImage as string, digest('b'), digest('c')]) await putEcrImage(ecr, image);
  await ecs.send(new CreateClusterCommand({ clusterName: 'notebook' }));
  const { taskDefinition, tags } = notebookDefinition();
  arns = [await register(toRegisterInput(taskDefinition, []), registrableTags(tags))];
  await ecs.send(
    new CreateServiceCommand({
      cluster: 'notebook',
      serviceName: 'notebook',
      taskDefinition: arns[0],
      desiredCount: 1,
      launchType: 'FARGATE',
    }),
  );
});

async function register(input: ReturnType<typeof toRegisterInput>, tags = input.tags): Promise<string> {
  const output = await ecs.send(new RegisterTaskDefinitionCommand({ ...input, tags }));
  return output.taskDefinition?.taskDefinitionArn as string;
}

const run = (inputs: Record<string, string>) =>
  runActionBundle(bundle, { inputs: { cluster: 'notebook', service: 'notebook', ...inputs }, env: moto.current.env });

describe('against moto', () => {
  it('renders the running revision, registers it and updates the service with the deployment settings', async () => {
    const result = await run({ image: digest('b'), environment: 'APP_VERSION=9c8b7a6\nFEATURE_X=on', wait: 'false' });

    expect(result.exitCode).toBe(0);
    const next = arns[0]?.replace(/:1$/, ':2');
    expect(result.outputs).toEqual({
      'previous-task-definition-arn': arns[0],
      'task-definition-arn': next,
      'kernel-task-definition-arn': '',
      'deployment-id': '',
      'rollout-state': 'NOT_WAITED',
      'duration-seconds': expect.stringMatching(/^\d+$/),
    });
    expect(result.commands.filter((command) => command.command === 'warning').map((command) => command.message)).toEqual([
      expect.stringMatching(
        /^ECS accepted the update but lists no deployment of notebook:2 \(its PRIMARY deployment ecs-svc\/\d+ runs notebook:1\); deployment-id is empty\.$/,
      ),
    ]);

    const described = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: next, include: ['TAGS'] }));
    const container = described.taskDefinition?.containerDefinitions?.[0];
    expect(container?.image).toBe(digest('b'));
    expect(container?.environment).toEqual([
      { name: 'APP_VERSION', value: '9c8b7a6' },
      { name: 'LOG_LEVEL', value: 'info' },
      { name: 'FEATURE_X', value: 'on' },
    ]);
    expect(container?.secrets).toEqual([
      { name: 'DATABASE_URL', valueFrom: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:notebook/database-url-AbCdEf' },
    ]);
    expect(described.taskDefinition?.runtimePlatform).toEqual({ cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' });
    expect(described.tags).toEqual([{ key: 'app', value: 'notebook' }]);

    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'notebook', services: ['notebook'] }))).services?.[0];
    expect(service?.taskDefinition).toBe(next);
    expect(service?.deploymentConfiguration).toEqual({
      deploymentCircuitBreaker: { enable: true, rollback: true },
      maximumPercent: 100,
      minimumHealthyPercent: 0,
    });
  });

  it('fails clearly when waiting for a deployment that ECS (here moto) did not create', async () => {
    const result = await run({ image: digest('c') });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^ECS accepted the update but lists no deployment of notebook:2 \(its PRIMARY deployment ecs-svc\/\d+ runs notebook:1\), so there is no rollout to follow\.$/,
      ),
    ]);
    expect(result.outputs['task-definition-arn']).toMatch(/notebook:2$/);
  });

  it('redeploys the running revision without registering, completes and tags it as deployed', async () => {
    const result = await run({ image: runningImage as string });
    expect(result.errors).toEqual([]);
    expect(result.outputs['task-definition-arn']).toBe(arns[0]);
    expect(result.outputs['rollout-state']).toBe('COMPLETED');
    const tags = await ecs.send(new ListTagsForResourceCommand({ resourceArn: arns[0] }));
    expect(tags.tags).toContainEqual({
      key: 'deploy-ecs:deployed-at:notebook/notebook',
      value: expect.stringMatching(/^\d{4}-\d\d-\d\dT[\d:.]+Z$/),
    });
  });

  it('resolves "previous" from the per-service deployed-at tags, newest other than the running revision', async () => {
    const base = toRegisterInput(notebookDefinition().taskDefinition, []);
    const second = await register(base, [{ key: 'app', value: 'notebook' }]);
    const third = await register(base, [{ key: 'app', value: 'notebook' }]);
    await ecs.send(new UpdateServiceCommand({ cluster: 'notebook', service: 'notebook', taskDefinition: third }));
    const tag = (arn: string, key: string, value: string) =>
      ecs.send(new TagResourceCommand({ resourceArn: arn, tags: [{ key, value }] }));
    // Revision 1 carries the fixture's tag (2026-11-20); another service's history must not count.
    await tag(second, 'deploy-ecs:deployed-at:notebook/other', '2026-11-30T00:00:00.000Z');

    const first = await run({ 'task-definition-arn': 'previous', wait: 'false' });
    expect(first.errors).toEqual([]);
    expect(first.outputs['task-definition-arn']).toBe(arns[0]);

    await tag(second, 'deploy-ecs:deployed-at:notebook/notebook', '2026-11-21T00:00:00.000Z');
    await ecs.send(new UpdateServiceCommand({ cluster: 'notebook', service: 'notebook', taskDefinition: third }));
    const latest = await run({ 'task-definition-arn': 'previous', wait: 'false' });
    expect(latest.outputs['previous-task-definition-arn']).toBe(third);
    expect(latest.outputs['task-definition-arn']).toBe(second);
  });

  it('says when there is no previous revision to roll back to', async () => {
    const untagged = await register(toRegisterInput(notebookDefinition().taskDefinition, []), [{ key: 'app', value: 'x' }]);
    await ecs.send(new UpdateServiceCommand({ cluster: 'notebook', service: 'notebook', taskDefinition: untagged }));
    // Revision 1 is tagged for notebook/notebook: as the only candidate, it is the answer...
    expect((await run({ 'task-definition-arn': 'previous', wait: 'false' })).outputs['task-definition-arn']).toBe(arns[0]);
    // ...and once it runs, the only other revision has never completed a rollout.
    await ecs.send(new UpdateServiceCommand({ cluster: 'notebook', service: 'notebook', taskDefinition: arns[0] }));
    const result = await run({ 'task-definition-arn': 'previous' });
    expect(result.errors).toEqual([
      "No previous revision to roll back to: notebook:1, the service's revision now, is the only ACTIVE revision of " +
        'family "notebook" that carries the tag "deploy-ecs:deployed-at:notebook/notebook" deploy-ecs adds when a ' +
        'rollout to notebook/notebook completes. Deploy a specific revision with task-definition-arn: <arn> instead.',
    ]);
  });

  it('refuses an image that is not in ECR before UpdateService: the service keeps its revision', async () => {
    const result = await run({ image: digest('e'), wait: 'false' });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(
        new RegExp(
          `^Refusing to deploy: container "notebook" of notebook:2 names image ${digest('e').replace(/[.]/g, '\\.')}, which does not exist\\. ` +
            'ECR has no image notebook@sha256:e{64} \\(registry 123456789012, us-east-1\\): push it first, or check the tag or digest',
        ),
      ),
    ]);
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'notebook', services: ['notebook'] }))).services?.[0];
    expect(service?.taskDefinition).toBe(arns[0]);
    // The same image, once pushed, is deployed: the check asked moto's ECR, not a guess.
    await putEcrImage(ecr, digest('e'));
    expect((await ecr.send(new DescribeImagesCommand({ repositoryName: 'notebook', imageIds: [{ imageDigest: `sha256:${'e'.repeat(64)}` }] }))).imageDetails).toHaveLength(1);
    expect((await run({ image: digest('e'), wait: 'false' })).exitCode).toBe(0);
  });

  it('refuses a rollback to a revision whose repository is gone', async () => {
    const base = toRegisterInput(notebookDefinition().taskDefinition, []);
    const containerDefinitions = base.containerDefinitions?.map((container, index) =>
      index === 0 ? { ...container, image: '123456789012.dkr.ecr.us-east-1.amazonaws.com/deleted:1.0.0' } : container,
    );
    const old = await register({ ...base, containerDefinitions }, [{ key: 'app', value: 'notebook' }]);
    const result = await run({ 'task-definition-arn': old, wait: 'false' });
    expect(result.exitCode).toBe(1);
    expect(result.errors[0]).toContain('ECR has no repository "deleted" in registry 123456789012 (us-east-1)');
    const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'notebook', services: ['notebook'] }))).services?.[0];
    expect(service?.taskDefinition).toBe(arns[0]);
  });

  it.each([
    [
      'an unknown cluster',
      { cluster: 'nope', image: digest('d') },
      'Cluster "nope" was not found in us-east-1: check the cluster input and the job\'s region.',
    ],
    [
      'an unknown service',
      { service: 'nope', image: digest('d') },
      'Service "nope" was not found in cluster "notebook" (us-east-1): check the service input.',
    ],
    [
      'a container name that is not in the task definition',
      { image: digest('d'), 'container-name': 'web' },
      'Container "web" is not in task definition family "notebook"; its containers are "notebook", "log-router". ' +
        'Fix the container-name input.',
    ],
    [
      'both image and task-definition-arn',
      { image: digest('d'), 'task-definition-arn': 'notebook:1' },
      'Input "task-definition-arn" deploys an existing revision as-is, so it cannot be combined with "image": set ' +
        'either task-definition-arn (a rollback) or the image to render a new revision.',
    ],
    [
      'an invalid task definition ARN',
      { 'task-definition-arn': 'arn:aws:ecs:us-east-1:123456789012:service/notebook/notebook' },
      'Input "task-definition-arn" must be a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/' +
        '<family>:<revision>), <family>:<revision>, or "previous"; got ' +
        '"arn:aws:ecs:us-east-1:123456789012:service/notebook/notebook".',
    ],
    [
      'a task definition ARN of another region',
      { 'task-definition-arn': 'arn:aws:ecs:eu-west-1:123456789012:task-definition/notebook:1' },
      'Input "task-definition-arn" names a task definition in eu-west-1, but this job deploys to us-east-1: use a ' +
        'revision of the same region (or set the region to match).',
    ],
    [
      'a revision that does not exist',
      { 'task-definition-arn': 'notebook:99' },
      'Task definition "notebook:99" was not found in us-east-1 (or cannot be read). ECS said: Unable to describe task definition.',
    ],
  ])('fails clearly on %s', async (_case, inputs, message) => {
    const result = await run(inputs);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([message]);
  });
});
