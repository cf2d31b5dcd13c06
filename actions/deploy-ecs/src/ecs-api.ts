import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  DescribeTasksCommand,
  ECSClient,
  ListTasksCommand,
  RegisterTaskDefinitionCommand,
  TagResourceCommand,
  UpdateServiceCommand,
  paginateListTaskDefinitions,
  type DeploymentConfiguration,
  type Service,
  type Tag,
  type Task,
  type TaskDefinition,
} from '@aws-sdk/client-ecs';
import { ConfigurationError } from '@notebook-ship/action-kit';
import type { TaskDefinitionInput } from './task-definition';

export interface DescribedTaskDefinition {
  taskDefinition: TaskDefinition;
  tags: Tag[];
}

/** What UpdateService changes; an absent field is left as the service has it. */
export interface ServiceUpdate {
  cluster: string;
  service: string;
  taskDefinition?: string;
  deploymentConfiguration?: DeploymentConfiguration;
  desiredCount?: number;
  forceNewDeployment?: boolean;
}

/** The ECS calls of a deploy, with errors already turned into messages that say what to fix. */
export interface EcsApi {
  describeService(cluster: string, service: string): Promise<Service>;
  describeTaskDefinition(reference: string): Promise<DescribedTaskDefinition>;
  /** ARNs of the ACTIVE revisions of a family, newest first. */
  listRevisions(family: string): Promise<string[]>;
  registerTaskDefinition(input: TaskDefinitionInput): Promise<TaskDefinition>;
  updateService(update: ServiceUpdate): Promise<Service>;
  tagResource(arn: string, tags: Tag[]): Promise<void>;
  /** Stopped tasks of the service that ECS still remembers (about an hour), newest first. */
  stoppedTasks(cluster: string, service: string): Promise<Task[]>;
}

export function createEcsApi(client: ECSClient, region: string): EcsApi {
  return {
    async describeService(cluster, service) {
      const output = await call('DescribeServices', { cluster, region }, () =>
        client.send(new DescribeServicesCommand({ cluster, services: [service] })),
      );
      const found = output.services?.[0];
      if (!found || found.status === 'INACTIVE') {
        throw new ConfigurationError(
          `Service "${service}" was not found in cluster "${cluster}" (${region}): check the service input.`,
        );
      }
      return found;
    },

    async describeTaskDefinition(reference) {
      const output = await call('DescribeTaskDefinition', { region, taskDefinition: reference }, () =>
        client.send(new DescribeTaskDefinitionCommand({ taskDefinition: reference, include: ['TAGS'] })),
      );
      return { taskDefinition: output.taskDefinition as TaskDefinition, tags: output.tags ?? [] };
    },

    async listRevisions(family) {
      const arns: string[] = [];
      await call('ListTaskDefinitions', { region }, async () => {
        const pages = paginateListTaskDefinitions({ client }, { familyPrefix: family, status: 'ACTIVE', sort: 'DESC' });
        for await (const page of pages) arns.push(...(page.taskDefinitionArns ?? []));
      });
      // Newest first whatever order the server chose (emulators ignore `sort`).
      const revision = (arn: string) => Number(arn.slice(arn.lastIndexOf(':') + 1));
      return arns.filter((arn) => arn.includes(`task-definition/${family}:`)).sort((a, b) => revision(b) - revision(a));
    },

    async registerTaskDefinition(input) {
      const output = await call('RegisterTaskDefinition', { region, family: input.family }, () =>
        client.send(new RegisterTaskDefinitionCommand(input)),
      );
      return output.taskDefinition as TaskDefinition;
    },

    async updateService(update) {
      const output = await call('UpdateService', { ...update, region }, () =>
        client.send(new UpdateServiceCommand(update)),
      );
      return output.service as Service;
    },

    async tagResource(arn, tags) {
      await call('TagResource', { region }, () => client.send(new TagResourceCommand({ resourceArn: arn, tags })));
    },

    async stoppedTasks(cluster, service) {
      const listed = await call('ListTasks', { cluster, service, region }, () =>
        client.send(new ListTasksCommand({ cluster, serviceName: service, desiredStatus: 'STOPPED', maxResults: 100 })),
      );
      const arns = listed.taskArns ?? [];
      if (arns.length === 0) return [];
      const described = await call('DescribeTasks', { cluster, region }, () =>
        client.send(new DescribeTasksCommand({ cluster, tasks: arns })),
      );
      const time = (task: Task) => (task.stoppedAt ?? task.createdAt ?? new Date(0)).getTime();
      return (described.tasks ?? []).sort((a, b) => time(b) - time(a));
    },
  };
}

interface CallContext {
  region: string;
  cluster?: string;
  service?: string;
  taskDefinition?: string;
  family?: string;
}

/** One ECS call; the errors a user can fix become ConfigurationErrors naming the resource or permission. */
async function call<T>(operation: string, context: CallContext, send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    throw explain(error, operation, context);
  }
}

export function explain(error: unknown, operation: string, context: CallContext): unknown {
  if (!(error instanceof Error)) return error;
  const said = `ECS said: ${error.message}`;
  switch (error.name) {
    case 'AccessDeniedException':
    case 'AccessDenied':
    case 'UnauthorizedOperation': {
      // The message names the action that was refused (ecs:TagResource while registering with tags,
      // iam:PassRole for the task roles); without it, the operation's own permission is the one.
      const permission = /not authorized to perform:? ([a-z0-9-]+:[A-Za-z0-9]+)/.exec(error.message)?.[1] ?? `ecs:${operation}`;
      return new ConfigurationError(
        `Access denied: the job's AWS role lacks ${permission} (needed for ${operation}). ` +
          `Add it to the role's policy. ${said}`,
      );
    }
    case 'ClusterNotFoundException':
      return new ConfigurationError(
        `Cluster "${context.cluster}" was not found in ${context.region}: check the cluster input and the job's region.`,
      );
    case 'ServiceNotFoundException':
    case 'ServiceNotActiveException':
      return new ConfigurationError(
        `Service "${context.service}" was not found (or is not active) in cluster "${context.cluster}" (${context.region}): ` +
          'check the service input.',
      );
    case 'ClientException':
    case 'InvalidParameterException':
    case 'PlatformTaskDefinitionIncompatibilityException':
    case 'PlatformUnknownException':
    case 'UnsupportedFeatureException':
      if (operation === 'DescribeTaskDefinition') {
        return new ConfigurationError(
          `Task definition "${context.taskDefinition}" was not found in ${context.region} (or cannot be read). ${said}`,
        );
      }
      if (operation === 'RegisterTaskDefinition') {
        return new ConfigurationError(`ECS refused to register a revision of "${context.family}". ${said}`);
      }
      if (operation === 'UpdateService') {
        return new ConfigurationError(`ECS refused to update service "${context.service}". ${said}`);
      }
      return error;
    default:
      return error;
  }
}
