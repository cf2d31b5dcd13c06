import type { ECSClient } from '@aws-sdk/client-ecs';
import type { Service, Supervisor } from './processes.d.mts';

interface Container {
  environment?: { name?: string; value?: string }[];
  secrets?: { name?: string; valueFrom?: string }[];
}
export function taskCommand(dockerfile: string, listen: { host: string; port: number }): string[];
export function containerEnvironment(container: Container, secrets: Record<string, string>): Record<string, string>;
export function describeContainer(ecs: ECSClient, taskDefinitionArn: string, containerName: string): Promise<Container>;
export function startTask(options: {
  supervisor: Supervisor;
  container: Container;
  secrets: Record<string, string>;
  awsEnv: Record<string, string>;
  port: number;
  onOutput?: (chunk: string) => void;
  graceSeconds?: number;
}): Promise<Service & { url: string; tail: () => string }>;
