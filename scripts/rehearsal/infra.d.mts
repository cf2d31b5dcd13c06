import type { CloudFrontClient, DistributionConfig } from '@aws-sdk/client-cloudfront';
import type { ECRClient } from '@aws-sdk/client-ecr';
import type { S3Client } from '@aws-sdk/client-s3';
import type { STSClient } from '@aws-sdk/client-sts';
import type { FakeEcs } from '../../packages/action-kit/src/testing/fake-ecs';

export const NAME: string;
export const CONTAINER_NAME: string;
export const CONTAINER_PORT: number;
export interface ResourceNames {
  repository: string;
  cluster: string;
  service: string;
  taskFamily: string;
  spaBucket: string;
  notebookBucket: string;
  secret: string;
  logGroup: string;
}
export function resourceNames(options: { name?: string; accountId: string; region: string }): ResourceNames;
export function generateAccessToken(): string;
export interface ContainerDefinition {
  name: string;
  image: string;
  essential: boolean;
  portMappings: { name: string; containerPort: number; protocol: string }[];
  environment: { name: string; value: string }[];
  secrets: { name: string; valueFrom: string }[];
  linuxParameters: { initProcessEnabled: boolean };
  stopTimeout: number;
  logConfiguration: { logDriver: string; options: Record<string, string> };
}
export function taskDefinition(options: {
  names: ResourceNames;
  repositoryUrl: string;
  secretArn: string;
  region: string;
}): {
  family: string;
  requiresCompatibilities: string[];
  networkMode: string;
  cpu: string;
  memory: string;
  runtimePlatform: { operatingSystemFamily: string; cpuArchitecture: string };
  containerDefinitions: ContainerDefinition[];
};
export const DEPLOYMENT_CONFIGURATION: {
  minimumHealthyPercent: number;
  maximumPercent: number;
  deploymentCircuitBreaker: { enable: boolean; rollback: boolean };
};
export function distributionConfig(options: {
  names: ResourceNames;
  region: string;
  apiHost: string;
  apiPort: number;
  callerReference: string;
}): DistributionConfig;
export interface EmulatorClients {
  sts: STSClient;
  ecr: ECRClient;
  s3: S3Client;
  cloudFront: CloudFrontClient;
}
export function emulatorClients(endpoint: string, region: string): EmulatorClients;
export function provision(options: {
  clients: EmulatorClients;
  fakeEcs: FakeEcs;
  names: ResourceNames;
  accountId: string;
  region: string;
  apiPort: number;
  appUrl: string;
  log: (line: string) => void;
}): Promise<{
  names: ResourceNames;
  accessToken: string;
  secrets: Record<string, string>;
  outputs: Record<string, string>;
}>;
