import { describe, expect, it } from '@jest/globals';
import type { Tag } from '@aws-sdk/client-ecs';
import type { EcsApi } from '../src/ecs-api';
import { deployedTag, deployedTagKey, findPrevious, pickPrevious } from '../src/previous';
import { arn } from './helpers';

const KEY = 'deploy-ecs:deployed-at:prod/notebook';
const at = (value: string): Tag[] => [{ key: KEY, value }];

describe('deployedTagKey', () => {
  it('names the cluster and service, so one revision can carry the history of several services', () => {
    expect(deployedTagKey('prod', 'notebook')).toBe(KEY);
    expect(deployedTag('prod', 'notebook', new Date(Date.UTC(2026, 10, 22, 9, 30)))).toEqual({
      key: KEY,
      value: '2026-11-22T09:30:00.000Z',
    });
  });

  it('stays within the 128 characters ECS allows for a tag key, distinct per service', () => {
    const long = 'c'.repeat(120);
    const key = deployedTagKey(long, 'notebook');
    expect(key).toMatch(/^deploy-ecs:deployed-at:[0-9a-f]{32}$/);
    expect(key.length).toBeLessThanOrEqual(128);
    expect(deployedTagKey(long, 'other')).not.toBe(key);
  });
});

describe('pickPrevious', () => {
  it('takes the latest deployment time for this service, not the highest revision, and never the running one', () => {
    const revisions = [
      { arn: arn(5), tags: at('2026-11-20T10:00:00.000Z') },
      { arn: arn(4), tags: at('2026-11-22T08:00:00.000Z') },
      { arn: arn(3), tags: at('2026-11-21T10:00:00.000Z') },
      { arn: arn(6), tags: at('2026-11-23T10:00:00.000Z') },
    ];
    expect(pickPrevious(revisions, arn(6), KEY)).toBe(arn(4));
  });

  it('ignores other services’ history and unreadable values', () => {
    const revisions = [
      { arn: arn(2), tags: [{ key: 'deploy-ecs:deployed-at:staging/notebook', value: '2026-11-23T00:00:00.000Z' }] },
      { arn: arn(1), tags: at('not a date') },
    ];
    expect(pickPrevious(revisions, arn(3), KEY)).toBeUndefined();
  });
});

describe('findPrevious', () => {
  it('reads the tags of every ACTIVE revision of the running family, a few at a time', async () => {
    const tags: Record<string, Tag[]> = { [arn(2)]: at('2026-11-21T00:00:00.000Z'), [arn(1)]: at('2026-11-20T00:00:00.000Z') };
    let inFlight = 0;
    let most = 0;
    const described: string[] = [];
    const ecs = {
      listRevisions: async (family: string) => (family === 'notebook' ? Array.from({ length: 12 }, (_, i) => arn(12 - i)) : []),
      describeTaskDefinition: async (reference: string) => {
        inFlight++;
        most = Math.max(most, inFlight);
        await new Promise((resolve) => setTimeout(resolve, 1));
        inFlight--;
        described.push(reference);
        return { taskDefinition: {}, tags: tags[reference] ?? [] };
      },
    } as unknown as EcsApi;

    expect(await findPrevious(ecs, 'prod', 'notebook', arn(12))).toBe(arn(2));
    expect(described.sort()).toEqual(Array.from({ length: 12 }, (_, i) => arn(i + 1)).sort());
    expect(most).toBe(4);
  });

  it('says a service that never completed a deploy has nothing to roll back to', async () => {
    const ecs = {
      listRevisions: async () => [arn(2), arn(1)],
      describeTaskDefinition: async () => ({ taskDefinition: {}, tags: [] }),
    } as unknown as EcsApi;
    await expect(findPrevious(ecs, 'prod', 'notebook', arn(2))).rejects.toThrow(
      'Service prod/notebook has never completed a deploy, so there is nothing to roll back to: no ACTIVE revision of ' +
        'family "notebook" carries the tag "deploy-ecs:deployed-at:prod/notebook" that deploy-ecs adds when a rollout ' +
        'completes. Deploy an image instead (or take back a first deploy with scale-to-zero: true).',
    );
  });

  it('says when the running revision is the only one ever rolled out', async () => {
    const ecs = {
      listRevisions: async () => [arn(2), arn(1)],
      describeTaskDefinition: async (reference: string) => ({
        taskDefinition: {},
        tags: reference === arn(2) ? at('2026-11-21T00:00:00.000Z') : [],
      }),
    } as unknown as EcsApi;
    await expect(findPrevious(ecs, 'prod', 'notebook', arn(2))).rejects.toThrow(
      'No previous revision to roll back to: notebook:2, the service\'s revision now, is the only ACTIVE revision of ' +
        'family "notebook" that carries the tag "deploy-ecs:deployed-at:prod/notebook" deploy-ecs adds when a rollout to ' +
        'prod/notebook completes. Deploy a specific revision with task-definition-arn: <arn> instead.',
    );
  });
});
