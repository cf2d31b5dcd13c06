import type { ContainerDefinition } from '@aws-sdk/client-ecs';

// What the ECS agent gives a container: its definition's `environment`, and each of its `secrets` read where
// `valueFrom` points (Secrets Manager, Parameter Store) by `readSecret`. A secret that cannot be read stops the task
// before it starts, as in ECS.

/** The environment ECS gives the container: its `environment`, and each of its `secrets` resolved by `readSecret`. */
export async function containerEnvironment(
  container: ContainerDefinition,
  readSecret: (arn: string) => Promise<string | undefined>,
): Promise<Record<string, string>> {
  const env: Record<string, string> = {};
  for (const { name, value } of container.environment ?? []) if (name) env[name] = value ?? '';
  for (const { name, valueFrom } of container.secrets ?? []) {
    if (!name || !valueFrom) continue;
    const value = await readSecret(valueFrom).catch((error: Error) => {
      throw new Error(`the task cannot start: ECS could not read the secret ${valueFrom} for ${name}: ${error.message}`);
    });
    if (value === undefined) throw new Error(`the task cannot start: the secret ${valueFrom} (for ${name}) has no value`);
    env[name] = value;
  }
  return env;
}
