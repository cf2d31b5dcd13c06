import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  AccessDeniedException,
  ClientException,
  ClusterNotFoundException,
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  InvalidParameterException,
  ListTaskDefinitionsCommand,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  ServerException,
  UpdateServiceCommand,
} from '@aws-sdk/client-ecs';
import { mockClient } from 'aws-sdk-client-mock';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { createEcsApi } from '../src/ecs-api';
import { arn } from './helpers';

const client = new ECSClient({ region: 'us-east-1' });
const mock = mockClient(client);
const api = createEcsApi(client, 'us-east-1');
const meta = { $metadata: {} };
beforeEach(() => void mock.reset());

const denied = (message: string) => new AccessDeniedException({ message, ...meta });

describe('errors a user can fix', () => {
  it('names the permission ECS says is missing, or else the operation’s own', async () => {
    mock.on(RegisterTaskDefinitionCommand).rejects(
      denied(
        'User: arn:aws:sts::123456789012:assumed-role/deploy/gha is not authorized to perform: iam:PassRole on resource: ' +
          'arn:aws:iam::123456789012:role/notebook-task',
      ),
    );
    await expect(api.registerTaskDefinition({ family: 'notebook', containerDefinitions: [] })).rejects.toThrow(
      "Access denied: the job's AWS role lacks iam:PassRole (needed for RegisterTaskDefinition). Add it to the role's policy.",
    );
    mock.on(DescribeServicesCommand).rejects(denied('Access denied'));
    const error = await api.describeService('prod', 'notebook').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ConfigurationError);
    expect((error as Error).message).toBe(
      "Access denied: the job's AWS role lacks ecs:DescribeServices (needed for DescribeServices). Add it to the role's " +
        'policy. ECS said: Access denied',
    );
  });

  it('says which cluster, service or revision was not found', async () => {
    mock.on(DescribeServicesCommand).rejects(new ClusterNotFoundException({ message: 'Cluster not found.', ...meta }));
    await expect(api.describeService('prod', 'notebook')).rejects.toThrow(
      'Cluster "prod" was not found in us-east-1: check the cluster input and the job\'s region.',
    );
    mock.on(DescribeServicesCommand).resolves({ services: [], failures: [{ arn: 'x', reason: 'MISSING' }] });
    await expect(api.describeService('prod', 'notebook')).rejects.toThrow('Service "notebook" was not found in cluster "prod"');
    mock.on(DescribeServicesCommand).resolves({ services: [{ serviceName: 'notebook', status: 'INACTIVE' }] });
    await expect(api.describeService('prod', 'notebook')).rejects.toThrow('Service "notebook" was not found');
    mock.on(DescribeTaskDefinitionCommand).rejects(new ClientException({ message: 'Unable to describe task definition.', ...meta }));
    await expect(api.describeTaskDefinition('notebook:9')).rejects.toThrow(
      'Task definition "notebook:9" was not found in us-east-1 (or cannot be read). ECS said: Unable to describe task definition.',
    );
  });

  it('passes on what ECS refuses in an update, with the service named', async () => {
    mock.on(UpdateServiceCommand).rejects(new InvalidParameterException({ message: 'Bad percentages.', ...meta }));
    await expect(
      api.updateService({ cluster: 'prod', service: 'notebook', taskDefinition: arn(2), deploymentConfiguration: {} }),
    ).rejects.toThrow('ECS refused to update service "notebook". ECS said: Bad percentages.');
  });

  it('leaves service faults as they are', async () => {
    const fault = new ServerException({ message: 'internal', ...meta });
    mock.on(DescribeServicesCommand).rejects(fault);
    await expect(api.describeService('prod', 'notebook')).rejects.toBe(fault);
  });
});

describe('reads', () => {
  it('asks for the tags with the task definition', async () => {
    mock.on(DescribeTaskDefinitionCommand).resolves({ taskDefinition: { taskDefinitionArn: arn(1) }, tags: [{ key: 'a', value: 'b' }] });
    expect(await api.describeTaskDefinition(arn(1))).toEqual({ taskDefinition: { taskDefinitionArn: arn(1) }, tags: [{ key: 'a', value: 'b' }] });
    expect(mock.commandCalls(DescribeTaskDefinitionCommand)[0]?.args[0].input).toEqual({ taskDefinition: arn(1), include: ['TAGS'] });
  });

  it('lists every page of a family’s ACTIVE revisions, newest first whatever order they come in', async () => {
    mock
      .on(ListTaskDefinitionsCommand)
      .resolvesOnce({ taskDefinitionArns: [arn(1), arn(10)], nextToken: 'page-2' })
      .resolvesOnce({ taskDefinitionArns: [arn(2), arn(9).replace('notebook', 'notebook-worker')] });
    expect(await api.listRevisions('notebook')).toEqual([arn(10), arn(2), arn(1)]);
    const calls = mock.commandCalls(ListTaskDefinitionsCommand);
    expect(calls).toHaveLength(2);
    expect(calls[1]?.args[0].input).toMatchObject({ familyPrefix: 'notebook', status: 'ACTIVE', nextToken: 'page-2' });
  });

  it('describes the service’s stopped tasks, newest first, and skips DescribeTasks when there are none', async () => {
    mock.on(ListTasksCommand).resolves({ taskArns: [] });
    expect(await api.stoppedTasks('prod', 'notebook')).toEqual([]);
    expect(mock.commandCalls(DescribeTasksCommand)).toHaveLength(0);

    mock.on(ListTasksCommand).resolves({ taskArns: ['t1', 't2'] });
    mock.on(DescribeTasksCommand).resolves({
      tasks: [
        { taskArn: 't1', stoppedAt: new Date(1_000) },
        { taskArn: 't2', stoppedAt: new Date(2_000) },
      ],
    });
    expect((await api.stoppedTasks('prod', 'notebook')).map((task) => task.taskArn)).toEqual(['t2', 't1']);
    expect(mock.commandCalls(ListTasksCommand)[1]?.args[0].input).toEqual({
      cluster: 'prod',
      serviceName: 'notebook',
      desiredStatus: 'STOPPED',
      maxResults: 100,
    });
  });
});
