import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DeleteObjectCommand } from '@aws-sdk/client-s3';
import { useMoto } from '@notebook-ship/local-aws/testing';
import {
  awsClients,
  createBucket,
  createDistribution,
  getText,
  invalidation,
  listKeys,
  newWorkspace,
  publishSpa,
  referencedAssets,
  removeWorkspaces,
  type Aws,
  type Workspace,
} from './support';

// Retention and rollback with the committed bundle against emulated S3 + CloudFront.
const moto = useMoto();
afterAll(removeWorkspaces);
const build = 'node build.mjs';

describe('retention across 7 releases (retain-releases 5)', () => {
  const bucket = 'retention-site';
  let aws: Aws;
  let site: Workspace;
  const entryChunks: string[] = [];
  const deleted: string[] = [];

  beforeAll(async () => {
    aws = awsClients();
    site = await newWorkspace();
    await createBucket(aws, bucket);
    for (let version = 1; version <= 7; version++) {
      await site.setVersion(version);
      const result = await publishSpa(moto.current, site.root, { bucket, 'build-command': build, 'release-id': `r${version}` });
      expect(result.errors).toEqual([]);
      deleted.push(result.outputs.deleted as string);
      const index = await getText(aws, bucket, 'index.html');
      entryChunks.push(referencedAssets(index).find((asset) => asset.endsWith('.js')) as string);
    }
  }, 60_000);

  it('deletes nothing until a sixth release, then one old entry chunk per release', () => {
    expect(deleted).toEqual(['0', '0', '0', '0', '0', '1', '1']);
    expect(new Set(entryChunks).size).toBe(7);
  });

  it('keeps every file the last 5 releases use, and only their records', async () => {
    const keys = await listKeys(aws, bucket);
    expect(keys.filter((key) => key.startsWith('_releases/'))).toEqual(
      ['r3', 'r4', 'r5', 'r6', 'r7'].map((id) => `_releases/${id}.json`),
    );
    for (const chunk of entryChunks.slice(2)) expect(keys).toContain(chunk);
    for (const chunk of entryChunks.slice(0, 2)) expect(keys).not.toContain(chunk);
    const shared = keys.filter((key) => key.startsWith('assets/') && !entryChunks.includes(key));
    expect(shared).toHaveLength(4); // css, vendor chunk, logo, font: unchanged since r1 and still used
  });

  it('can roll back to the oldest retained release, not to a pruned one', async () => {
    const r3 = await publishSpa(moto.current, site.root, { bucket, 'rollback-to': 'r3' });
    expect(r3.errors).toEqual([]);
    expect(referencedAssets(await getText(aws, bucket, 'index.html'))).toContain(entryChunks[2]);

    const r2 = await publishSpa(moto.current, site.root, { bucket, 'rollback-to': 'r2' });
    expect(r2.exitCode).toBe(1);
    expect(r2.errors).toEqual([
      'Release "r2" is not among the retained releases (newest first: r7, r6, r5, r4, r3); only these can be restored.',
    ]);
  });
});

describe('rollback', () => {
  const bucket = 'rollback-site';
  let aws: Aws;
  let site: Workspace;
  let distribution: { id: string; domainName: string };
  const indexOf: Record<string, string> = {};

  beforeAll(async () => {
    aws = awsClients();
    site = await newWorkspace();
    await createBucket(aws, bucket);
    distribution = await createDistribution(aws, bucket);
    for (let version = 1; version <= 3; version++) {
      await site.setVersion(version);
      const result = await publishSpa(moto.current, site.root, {
        bucket,
        'distribution-id': distribution.id,
        'build-command': build,
        'release-id': `r${version}`,
      });
      expect(result.errors).toEqual([]);
      indexOf[`r${version}`] = await getText(aws, bucket, 'index.html');
    }
  }, 60_000);

  const rollBack = (to: string, extra: Record<string, string> = {}) =>
    publishSpa(moto.current, site.root, {
      bucket,
      'distribution-id': distribution.id,
      // A rollback never builds: a failing command proves it is not run.
      'build-command': 'exit 1',
      'rollback-to': to,
      ...extra,
    });

  it('"previous" restores the release before the live one, and invalidates its pages', async () => {
    const result = await rollBack('previous');
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({
      'release-id': 'r2',
      'previous-release-id': 'r3',
      uploaded: '1',
      skipped: '0',
      deleted: '0',
      'invalidated-paths': '/\n/index.html',
      url: `https://${distribution.domainName}/`,
    });
    const sent = await invalidation(aws, distribution.id, result.outputs['invalidation-id'] as string);
    expect(sent.paths.sort()).toEqual(['/', '/index.html']);
    expect(sent.callerReference).toMatch(/^publish-spa\/rollback\/r2\/run-1000\.1\/\d+$/);
    expect(await getText(aws, bucket, 'index.html')).toBe(indexOf.r2);
    expect(result.summary).toContain('### Rolled back s3://rollback-site/ to release `r2`');
    expect(result.summary).toContain('| **Replaced** | r3 |');
  });

  it('"previous" again walks one more release back; a named release goes anywhere retained', async () => {
    const again = await rollBack('previous');
    expect(again.outputs).toMatchObject({ 'release-id': 'r1', 'previous-release-id': 'r2' });
    expect(await getText(aws, bucket, 'index.html')).toBe(indexOf.r1);

    const none = await rollBack('previous');
    expect(none.exitCode).toBe(1);
    expect(none.errors).toEqual([
      'No retained release before the live one ("r1") serves a different site; retained, newest first: r3, r2, r1.',
    ]);

    const forward = await rollBack('r3', { 'wait-for-invalidation': 'true' });
    expect(forward.outputs).toMatchObject({ 'release-id': 'r3', 'previous-release-id': 'r1' });
    expect(forward.summary).toMatch(/\(COMPLETED\)/);
    expect(await getText(aws, bucket, 'index.html')).toBe(indexOf.r3);
  });

  it('refuses to restore a release whose assets are gone, changing nothing', async () => {
    const chunk = referencedAssets(indexOf.r1 as string).find((asset) => asset.endsWith('.js')) as string;
    await aws.s3.send(new DeleteObjectCommand({ Bucket: bucket, Key: chunk }));
    const result = await rollBack('r1');
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `Release r1 cannot be restored: 1 of its files are gone from the bucket (${chunk}). Publish it again instead.`,
    ]);
    expect(await getText(aws, bucket, 'index.html')).toBe(indexOf.r3);
  });

  it('a publish after a rollback replaces the rolled-back-to release and keeps it', async () => {
    await rollBack('r2');
    await site.setVersion(4);
    const result = await publishSpa(moto.current, site.root, {
      bucket,
      'distribution-id': distribution.id,
      'build-command': build,
      'release-id': 'r4',
      'retain-releases': '1',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ 'release-id': 'r4', 'previous-release-id': 'r2' });
    const keys = await listKeys(aws, bucket);
    // retain 1 keeps r4 and, for tabs still open on it, the release it replaced.
    expect(keys.filter((key) => key.startsWith('_releases/'))).toEqual(['_releases/r2.json', '_releases/r4.json']);
    for (const asset of referencedAssets(indexOf.r2 as string)) expect(keys).toContain(asset);
    for (const asset of referencedAssets(indexOf.r3 as string).filter((path) => path.endsWith('.js'))) {
      expect(keys).not.toContain(asset);
    }
  });
});
