import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  awsClients,
  createBucket,
  createDistribution,
  getText,
  listKeys,
  newWorkspace,
  publishSpa,
  removeWorkspaces,
  type Aws,
  type Workspace,
} from './support';

// The committed bundle with a build that writes source maps (Vite's `build.sourcemap: true`), against emulated S3.
const moto = useMoto();
afterAll(removeWorkspaces);
const withMaps = { SOURCEMAP: '1' };
const build = { 'build-command': 'node build.mjs' };

async function servedCode(aws: Aws, bucket: string, keys: string[]): Promise<string[]> {
  const code = keys.filter((key) => /^assets\/.*\.(?:js|css)$/.test(key));
  expect(code).toHaveLength(3);
  return Promise.all(code.map((key) => getText(aws, bucket, key)));
}

describe('source maps', () => {
  let aws: Aws;
  let site: Workspace;

  beforeAll(async () => {
    aws = awsClients();
    site = await newWorkspace();
  });

  it('are kept private by default: stored beside the release records, and no served file points at them', async () => {
    const bucket = 'maps-private';
    await createBucket(aws, bucket);
    const distribution = await createDistribution(aws, bucket);
    const inputs = { bucket, 'distribution-id': distribution.id, ...build };
    const result = await publishSpa(moto.current, site.root, { ...inputs, 'release-id': 'm1' }, withMaps);
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({
      uploaded: '12',
      'invalidated-paths': '/\n/favicon.svg\n/index.html\n/manifest.webmanifest\n/robots.txt',
    });

    const keys = await listKeys(aws, bucket);
    const maps = keys.filter((key) => key.endsWith('.map'));
    expect(maps).toEqual([
      expect.stringMatching(/^_releases\/source-maps\/assets\/index-[\w-]{8}\.css\.map$/),
      expect.stringMatching(/^_releases\/source-maps\/assets\/index-[\w-]{8}\.js\.map$/),
      expect.stringMatching(/^_releases\/source-maps\/assets\/vendor-[\w-]{8}\.js\.map$/),
    ]);
    const local = join(site.root, 'frontend', 'dist', maps[1]?.slice('_releases/source-maps/'.length) as string);
    expect(await getText(aws, bucket, maps[1] as string)).toBe(await readFile(local, 'utf8'));
    for (const code of await servedCode(aws, bucket, keys)) expect(code).not.toContain('sourceMappingURL');
    expect(result.summary).toContain(
      '| **Source maps** | 3 maps kept private under _releases/source-maps/; scripts and style sheets no longer point at them |',
    );

    // What was published is compared with what the next build would publish, comments removed: nothing changed.
    const again = await publishSpa(moto.current, site.root, { ...inputs, 'release-id': 'm2' }, withMaps);
    expect(again.errors).toEqual([]);
    expect(again.outputs).toMatchObject({ uploaded: '0', skipped: '12', 'invalidation-id': '' });
  });

  it('kept private, go with the last release that uses them', async () => {
    const bucket = 'maps-retained';
    await createBucket(aws, bucket);
    const entryMaps = async () =>
      (await listKeys(aws, bucket)).filter((key) => /^_releases\/source-maps\/assets\/index-.*\.js\.map$/.test(key));
    const inputs = { bucket, 'retain-releases': '1', ...build };
    const first = await newWorkspace();
    expect((await publishSpa(moto.current, first.root, { ...inputs, 'release-id': 'k1' }, withMaps)).errors).toEqual([]);
    const [k1Map] = await entryMaps();
    for (const version of [2, 3]) {
      await first.setVersion(version);
      const result = await publishSpa(moto.current, first.root, { ...inputs, 'release-id': `k${version}` }, withMaps);
      expect(result.errors).toEqual([]);
    }
    const left = await entryMaps();
    expect(left).toHaveLength(2);
    expect(left).not.toContain(k1Map);
  });

  it('are left out with skip, and served as built with publish', async () => {
    await createBucket(aws, 'maps-skip');
    const skipped = await publishSpa(moto.current, site.root, { bucket: 'maps-skip', 'source-maps': 'skip', ...build }, withMaps);
    expect(skipped.errors).toEqual([]);
    expect(skipped.outputs.uploaded).toBe('9');
    const skippedKeys = await listKeys(aws, 'maps-skip');
    expect(skippedKeys.filter((key) => key.endsWith('.map'))).toEqual([]);
    for (const code of await servedCode(aws, 'maps-skip', skippedKeys)) expect(code).not.toContain('sourceMappingURL');

    await createBucket(aws, 'maps-public');
    const published = await publishSpa(
      moto.current,
      site.root,
      { bucket: 'maps-public', 'source-maps': 'publish', ...build },
      withMaps,
    );
    expect(published.errors).toEqual([]);
    const keys = await listKeys(aws, 'maps-public');
    expect(keys.filter((key) => key.endsWith('.map')).every((key) => key.startsWith('assets/'))).toBe(true);
    expect(keys.filter((key) => key.endsWith('.map'))).toHaveLength(3);
    for (const code of await servedCode(aws, 'maps-public', keys)) expect(code).toMatch(/sourceMappingURL=[\w-]+\.(?:js|css)\.map/);
  });
});
