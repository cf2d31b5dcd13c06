import type { Tag } from '@aws-sdk/client-ecs';
import { createHash } from 'node:crypto';
import { ConfigurationError } from '@notebook-ship/action-kit';
import type { EcsApi } from './ecs-api';
import { familyOf, revisionName } from './references';
import { OWN_TAG_PREFIX } from './task-definition';

// `task-definition-arn: previous` is exact because every completed rollout tags its revision with the time it
// completed, under a key per service: a revision promoted from staging to production carries both histories.

const MAX_TAG_KEY = 128;

/** `deploy-ecs:deployed-at:<cluster>/<service>`, or a hash of the pair when that is longer than ECS allows. */
export function deployedTagKey(cluster: string, service: string): string {
  const prefix = `${OWN_TAG_PREFIX}deployed-at:`;
  const key = `${prefix}${cluster}/${service}`;
  if (key.length <= MAX_TAG_KEY) return key;
  return `${prefix}${createHash('sha256').update(`${cluster}/${service}`).digest('hex').slice(0, 32)}`;
}

export function deployedTag(cluster: string, service: string, at: Date): Tag {
  return { key: deployedTagKey(cluster, service), value: at.toISOString() };
}

export interface TaggedRevision {
  arn: string;
  tags: readonly Tag[];
}

/** The revision with the latest deployed-at time for this service, the running one excepted. */
export function pickPrevious(revisions: readonly TaggedRevision[], runningArn: string, key: string): string | undefined {
  let best: { arn: string; at: number } | undefined;
  for (const { arn, tags } of revisions) {
    if (arn === runningArn) continue;
    const value = tags.find((tag) => tag.key === key)?.value;
    const at = value ? Date.parse(value) : NaN;
    if (Number.isNaN(at)) continue;
    if (!best || at > best.at) best = { arn, at };
  }
  return best?.arn;
}

const CONCURRENCY = 4;

/**
 * Reads the tags of every ACTIVE revision of the running family (ECS cannot filter by tag), a few at a time.
 * Deregistered revisions cannot be deployed, so they are not candidates. The running one is read too, only to tell
 * a service that never completed a deploy from one that completed only the running revision.
 */
export async function findPrevious(ecs: EcsApi, cluster: string, service: string, runningArn: string): Promise<string> {
  const family = familyOf(runningArn);
  const key = deployedTagKey(cluster, service);
  const arns = await ecs.listRevisions(family);
  const revisions: TaggedRevision[] = [];
  let next = 0;
  const worker = async () => {
    while (next < arns.length) {
      const arn = arns[next++] as string;
      revisions.push({ arn, tags: (await ecs.describeTaskDefinition(arn)).tags });
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, arns.length) }, worker));
  const previous = pickPrevious(revisions, runningArn, key);
  if (previous) return previous;
  const everDeployed = revisions.some(({ tags }) => tags.some((tag) => tag.key === key));
  if (!everDeployed) {
    throw new ConfigurationError(
      `Service ${cluster}/${service} has never completed a deploy, so there is nothing to roll back to: no ACTIVE ` +
        `revision of family "${family}" carries the tag "${key}" that deploy-ecs adds when a rollout completes. ` +
        'Deploy an image instead (or take back a first deploy with scale-to-zero: true).',
    );
  }
  throw new ConfigurationError(
    `No previous revision to roll back to: ${revisionName(runningArn)}, the service's revision now, is the only ACTIVE ` +
      `revision of family "${family}" that carries the tag "${key}" deploy-ecs adds when a rollout to ` +
      `${cluster}/${service} completes. Deploy a specific revision with task-definition-arn: <arn> instead.`,
  );
}
