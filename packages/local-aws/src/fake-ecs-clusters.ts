import { EcsError, mergeTags, type FakeTag, type Json } from './ecs-error';

// Clusters of the fake ECS, as Terraform's aws_ecs_cluster manages them: CreateCluster, DescribeClusters (tags,
// settings and configuration only when `include` asks for them, as in ECS), UpdateCluster, UpdateClusterSettings
// and DeleteCluster (refused while the cluster has active services). A deleted cluster is INACTIVE, and described
// as such, until one with its name is created again.

export interface ClusterRecord {
  arn: string;
  name: string;
  status: 'ACTIVE' | 'INACTIVE';
  settings: Json[];
  configuration?: Json;
  serviceConnectDefaults?: Json;
  capacityProviders: string[];
  defaultCapacityProviderStrategy: Json[];
  tags: FakeTag[];
}

export interface EcsClusters {
  /** The ACTIVE cluster a request's `cluster` names (the default cluster when absent). */
  find(nameOrArn: unknown): ClusterRecord;
  /** Creates the cluster unless it is ACTIVE already (for services set up through the fake's own API). */
  ensure(name: string): ClusterRecord;
  byArn(arn: string): ClusterRecord | undefined;
  operations: Record<string, (input: Json) => Json>;
}

const lastSegment = (nameOrArn: string) => nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);

export function ecsClusters({ arnPrefix, activeServices }: { arnPrefix: string; activeServices: (cluster: string) => number }): EcsClusters {
  const clusters = new Map<string, ClusterRecord>();

  function create(input: Json): ClusterRecord {
    const name = typeof input.clusterName === 'string' ? input.clusterName : 'default';
    if (!/^[A-Za-z0-9_-]{1,255}$/.test(name)) {
      throw new EcsError('InvalidParameterException', 'Cluster name must be 1-255 letters, numbers, hyphens and underscores.');
    }
    const existing = clusters.get(name);
    if (existing?.status === 'ACTIVE') return existing;
    const record: ClusterRecord = {
      arn: `${arnPrefix}:cluster/${name}`,
      name,
      status: 'ACTIVE',
      settings: (input.settings as Json[] | undefined) ?? [{ name: 'containerInsights', value: 'disabled' }],
      configuration: input.configuration as Json | undefined,
      serviceConnectDefaults: input.serviceConnectDefaults as Json | undefined,
      capacityProviders: (input.capacityProviders as string[] | undefined) ?? [],
      defaultCapacityProviderStrategy: (input.defaultCapacityProviderStrategy as Json[] | undefined) ?? [],
      tags: mergeTags([], (input.tags as FakeTag[] | undefined) ?? []),
    };
    clusters.set(name, record);
    return record;
  }

  function lookup(nameOrArn: unknown): ClusterRecord | undefined {
    return clusters.get(lastSegment(typeof nameOrArn === 'string' ? nameOrArn : 'default'));
  }

  function find(nameOrArn: unknown): ClusterRecord {
    const found = lookup(nameOrArn);
    if (found?.status !== 'ACTIVE') throw new EcsError('ClusterNotFoundException', 'Cluster not found.');
    return found;
  }

  function render(cluster: ClusterRecord, include: string[] = []): Json {
    const active = cluster.status === 'ACTIVE' ? activeServices(cluster.name) : 0;
    return {
      clusterArn: cluster.arn,
      clusterName: cluster.name,
      status: cluster.status,
      registeredContainerInstancesCount: 0,
      runningTasksCount: 0,
      pendingTasksCount: 0,
      activeServicesCount: active,
      statistics: [],
      capacityProviders: cluster.capacityProviders,
      defaultCapacityProviderStrategy: cluster.defaultCapacityProviderStrategy,
      ...(cluster.serviceConnectDefaults ? { serviceConnectDefaults: cluster.serviceConnectDefaults } : {}),
      ...(include.includes('TAGS') ? { tags: cluster.tags } : {}),
      ...(include.includes('SETTINGS') ? { settings: cluster.settings } : {}),
      ...(include.includes('CONFIGURATIONS') && cluster.configuration ? { configuration: cluster.configuration } : {}),
    };
  }

  const everything = ['TAGS', 'SETTINGS', 'CONFIGURATIONS'];

  const operations: Record<string, (input: Json) => Json> = {
    CreateCluster: (input) => ({ cluster: render(create(input), everything) }),
    DescribeClusters(input) {
      const include = (input.include as string[] | undefined) ?? [];
      const found: Json[] = [];
      const failures: Json[] = [];
      for (const reference of (input.clusters as string[] | undefined) ?? ['default']) {
        const cluster = lookup(reference);
        if (cluster) found.push(render(cluster, include));
        else failures.push({ arn: `${arnPrefix}:cluster/${lastSegment(reference)}`, reason: 'MISSING' });
      }
      return { clusters: found, failures };
    },
    UpdateCluster(input) {
      const cluster = find(input.cluster);
      if (input.settings) cluster.settings = input.settings as Json[];
      if (input.configuration) cluster.configuration = input.configuration as Json;
      if (input.serviceConnectDefaults) cluster.serviceConnectDefaults = input.serviceConnectDefaults as Json;
      return { cluster: render(cluster, everything) };
    },
    UpdateClusterSettings(input) {
      const cluster = find(input.cluster);
      cluster.settings = (input.settings as Json[] | undefined) ?? cluster.settings;
      return { cluster: render(cluster, ['SETTINGS']) };
    },
    DeleteCluster(input) {
      const cluster = find(input.cluster);
      if (activeServices(cluster.name) > 0) {
        throw new EcsError('ClusterContainsServicesException', 'The cluster cannot be deleted while services are active.');
      }
      cluster.status = 'INACTIVE';
      return { cluster: render(cluster) };
    },
  };

  return {
    find,
    ensure: (name) => create({ clusterName: name }),
    byArn: (arn) => [...clusters.values()].find((cluster) => cluster.arn === arn),
    operations,
  };
}
