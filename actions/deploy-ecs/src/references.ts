import { ConfigurationError } from '@notebook-ship/action-kit';

// Names and ARNs of ECS resources, as the user writes them and as ECS returns them.

const FAMILY = '[A-Za-z0-9_-]{1,255}';
const TASK_DEFINITION_ARN = new RegExp(`^arn:aws[a-z-]*:ecs:([a-z0-9-]+):(\\d{12}):task-definition/(${FAMILY}):([1-9]\\d*)$`);
const FAMILY_REVISION = new RegExp(`^(${FAMILY}):([1-9]\\d*)$`);
const FAMILY_ONLY = new RegExp(`^${FAMILY}$`);

export interface RevisionReference {
  /** What ECS accepts as `taskDefinition`: the ARN or `family:revision`, as given. */
  reference: string;
  family: string;
  revision: number;
}

/** A task definition ARN or `family:revision`; a region in the ARN must be the job's region. */
export function parseRevisionReference(
  value: string,
  region: string,
  input: 'task-definition-arn' | 'base-task-definition' | 'kernel-task-definition' = 'task-definition-arn',
): RevisionReference {
  const arn = TASK_DEFINITION_ARN.exec(value);
  if (arn) {
    const [, arnRegion, , family, revision] = arn as unknown as [string, string, string, string, string];
    if (arnRegion !== region) {
      throw new ConfigurationError(
        `Input "${input}" names a task definition in ${arnRegion}, but this job deploys to ${region}: ` +
          'use a revision of the same region (or set the region to match).',
      );
    }
    return { reference: value, family, revision: Number(revision) };
  }
  const short = FAMILY_REVISION.exec(value);
  if (short) return { reference: value, family: short[1] as string, revision: Number(short[2]) };
  throw new ConfigurationError(
    `Input "${input}" must be a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>), ` +
      `<family>:<revision>${ALSO_ACCEPTED[input] ?? ''}; got "${value}".`,
  );
}

const ALSO_ACCEPTED: Record<string, string> = {
  'task-definition-arn': ', or "previous"',
  'kernel-task-definition': ', or a family (its latest ACTIVE revision)',
};

/** A task definition ARN, `family:revision`, or a bare family, which ECS resolves to its latest ACTIVE revision. */
export function parseFamilyOrRevision(value: string, region: string, input: 'kernel-task-definition'): string {
  return FAMILY_ONLY.test(value) ? value : parseRevisionReference(value, region, input).reference;
}

/** `arn:...:task-definition/notebook:12` → `notebook:12`, for logs and summaries. */
export function revisionName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

/** The family of a task definition ARN or `family:revision`. */
export function familyOf(arn: string): string {
  const name = revisionName(arn);
  return name.slice(0, name.lastIndexOf(':'));
}

/** The last path segment of an ARN, or the name itself: clusters and services may be given either way. */
export function resourceName(nameOrArn: string): string {
  return nameOrArn.slice(nameOrArn.lastIndexOf('/') + 1);
}

export function deploymentsConsoleUrl(region: string, cluster: string, service: string): string {
  const path = `${encodeURIComponent(cluster)}/services/${encodeURIComponent(service)}/deployments`;
  return `https://${region}.console.aws.amazon.com/ecs/v2/clusters/${path}?region=${region}`;
}
