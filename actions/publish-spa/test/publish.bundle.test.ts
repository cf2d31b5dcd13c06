import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { useMoto } from '@notebook-ship/local-aws/testing';
import {
  awsClients,
  createBucket,
  createDistribution,
  getText,
  headers,
  invalidation,
  listKeys,
  newWorkspace,
  publishSpa,
  referencedAssets,
  removeWorkspaces,
  startAwsProxy,
  type Aws,
  type Workspace,
} from './support';

// The committed bundle against emulated S3 + CloudFront, as a workflow runs it on every push.
const moto = useMoto();
afterAll(removeWorkspaces);
const API = 'https://api.example.test';

describe('publishing release after release', () => {
  const bucket = 'notebook-site';
  let aws: Aws;
  let site: Workspace;
  let distribution: { id: string; domainName: string };
  const inputs = () => ({ bucket, 'distribution-id': distribution.id, 'api-base-url': API });

  beforeAll(async () => {
    aws = awsClients();
    site = await newWorkspace();
    await createBucket(aws, bucket);
    distribution = await createDistribution(aws, bucket);
  });

  it('first publish: builds with the API URL, uploads assets, then other files, then index.html', async () => {
    // S3 goes through a recording proxy to see the order of uploads; CloudFront goes to the emulator directly.
    const proxy = await startAwsProxy(moto.current.endpoint);
    let result;
    try {
      result = await publishSpa(moto.current, site.root, { ...inputs(), 'release-id': 'r1' }, { AWS_ENDPOINT_URL_S3: proxy.endpoint });
    } finally {
      await proxy.close();
    }
    expect(result.errors).toEqual([]);
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({
      'release-id': 'r1',
      'previous-release-id': '',
      uploaded: '9',
      skipped: '0',
      deleted: '0',
      'invalidation-id': expect.stringMatching(/\w+/),
      'invalidated-paths': '/\n/favicon.svg\n/index.html\n/manifest.webmanifest\n/robots.txt',
      url: `https://${distribution.domainName}/`,
    });

    const keys = await listKeys(aws, bucket);
    const index = await getText(aws, bucket, 'index.html');
    expect(referencedAssets(index)).toHaveLength(2);
    for (const asset of referencedAssets(index)) expect(keys).toContain(asset);
    expect(keys.filter((key) => !key.startsWith('assets/'))).toEqual([
      '_releases/r1.json',
      'favicon.svg',
      'index.html',
      'manifest.webmanifest',
      'robots.txt',
    ]);
    const entryChunk = keys.find((key) => /^assets\/index-.*\.js$/.test(key)) as string;
    expect(await getText(aws, bucket, entryChunk)).toContain(`const API_BASE_URL="${API}"`);

    const puts = proxy.requests.filter((request) => request.method === 'PUT');
    const finished = (predicate: (path: string) => boolean) =>
      Math.max(...puts.filter((request) => predicate(request.path)).map((request) => request.answered));
    const started = (predicate: (path: string) => boolean) =>
      Math.min(...puts.filter((request) => predicate(request.path)).map((request) => request.arrived));
    const isAsset = (path: string) => path.includes('/assets/');
    const isIndex = (path: string) => path.endsWith('/index.html');
    const isRecord = (path: string) => path.includes('/_releases/');
    const isOther = (path: string) => !isAsset(path) && !isIndex(path) && !isRecord(path);
    expect(puts).toHaveLength(10);
    expect(finished(isAsset)).toBeLessThan(started(isOther));
    expect(finished(isOther)).toBeLessThan(started(isRecord));
    expect(finished(isRecord)).toBeLessThan(started(isIndex));
    expect(proxy.requests.filter((request) => request.method === 'DELETE' || request.method === 'POST')).toEqual([]);

    const sent = await invalidation(aws, distribution.id, result.outputs['invalidation-id'] as string);
    expect(sent.paths.sort()).toEqual(['/', '/favicon.svg', '/index.html', '/manifest.webmanifest', '/robots.txt']);
    expect(sent.callerReference).toMatch(/^publish-spa\/publish\/r1\/run-1000\.1\/\d{13}$/);

    expect(result.summary).toContain('### Published release `r1` to s3://notebook-site/');
    expect(result.summary).toContain('| **Uploaded** | 9 files (');
    expect(result.summary).toMatch(/\| \*\*API base URL\*\* \| found in assets\/index-[\w-]+\.js \|/);
    expect(result.summary).toContain(`| **URL** | https://${distribution.domainName}/ |`);
  });

  it('serves each file with its MIME type, hashed assets immutable and the rest revalidated', async () => {
    const keys = await listKeys(aws, bucket);
    const find = (pattern: RegExp) => keys.find((key) => pattern.test(key)) as string;
    const immutable = 'public, max-age=31536000, immutable';
    expect(await headers(aws, bucket, find(/^assets\/index-.*\.js$/))).toEqual({ type: 'text/javascript; charset=utf-8', cache: immutable });
    expect(await headers(aws, bucket, find(/^assets\/index-.*\.css$/))).toEqual({ type: 'text/css; charset=utf-8', cache: immutable });
    expect(await headers(aws, bucket, find(/^assets\/inter-.*\.woff2$/))).toEqual({ type: 'font/woff2', cache: immutable });
    expect(await headers(aws, bucket, find(/^assets\/logo-.*\.svg$/))).toEqual({ type: 'image/svg+xml', cache: immutable });
    expect(await headers(aws, bucket, 'index.html')).toEqual({ type: 'text/html; charset=utf-8', cache: 'no-cache' });
    expect(await headers(aws, bucket, 'favicon.svg')).toEqual({ type: 'image/svg+xml', cache: 'no-cache' });
    expect(await headers(aws, bucket, 'manifest.webmanifest')).toEqual({
      type: 'application/manifest+json; charset=utf-8',
      cache: 'no-cache',
    });
  });

  it('re-publish of a fresh build with the same content: nothing uploaded, nothing invalidated', async () => {
    const result = await publishSpa(moto.current, site.root, { ...inputs(), 'release-id': 'r2', 'build-command': 'node build.mjs' });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({
      'release-id': 'r2',
      'previous-release-id': 'r1',
      uploaded: '0',
      skipped: '9',
      deleted: '0',
      'invalidation-id': '',
      'invalidated-paths': '',
    });
    expect(result.summary).toContain('| **Invalidation** | none needed |');
    expect(await listKeys(aws, bucket)).toContain('_releases/r2.json');
  });

  it('a changed build uploads only the changed chunk and index.html, keeps the old chunk, and can wait', async () => {
    const before = await listKeys(aws, bucket);
    await site.setVersion(2);
    const result = await publishSpa(moto.current, site.root, {
      ...inputs(),
      'release-id': 'r3',
      'build-command': 'node build.mjs',
      'wait-for-invalidation': 'true',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({
      'release-id': 'r3',
      'previous-release-id': 'r2',
      uploaded: '2',
      skipped: '7',
      deleted: '0',
      'invalidated-paths': '/\n/index.html',
    });
    const after = await listKeys(aws, bucket);
    const added = after.filter((key) => !before.includes(key));
    expect(added).toEqual(['_releases/r3.json', expect.stringMatching(/^assets\/index-[\w-]+\.js$/)]);
    expect(before.filter((key) => !after.includes(key))).toEqual([]);
    expect(referencedAssets(await getText(aws, bucket, 'index.html'))).toContain(added.find((key) => key.startsWith('assets/')));
    // moto reports COMPLETED where AWS says Completed; either ends the wait.
    expect(result.summary).toMatch(/\| \*\*Invalidation\*\* \| \w+: \/ \/index\.html \(COMPLETED\) \|/);
  });
});

describe('where the site lives', () => {
  it('maps a prefix through the origin path for invalidations and the URL', async () => {
    const aws = awsClients();
    const site = await newWorkspace();
    await createBucket(aws, 'prefixed-site');
    const distribution = await createDistribution(aws, 'prefixed-site', '/web');
    const result = await publishSpa(moto.current, site.root, {
      bucket: 'prefixed-site',
      prefix: 'web',
      'distribution-id': distribution.id,
      'build-command': 'node build.mjs',
      'release-id': 'p1',
    });
    expect(result.errors).toEqual([]);
    expect(result.outputs['invalidated-paths']).toBe('/\n/favicon.svg\n/index.html\n/manifest.webmanifest\n/robots.txt');
    expect(result.outputs.url).toBe(`https://${distribution.domainName}/`);
    const keys = await listKeys(aws, 'prefixed-site');
    expect(keys.every((key) => key.startsWith('web/'))).toBe(true);
    expect(keys).toContain('web/_releases/p1.json');
    expect(keys).toContain('web/index.html');
    expect(result.outputs['release-id']).toBe('p1');
  });

  it('sends CloudFront the paths of oddly named files as its API reference asks', async () => {
    const aws = awsClients();
    const site = await newWorkspace();
    await site.write('public/q&a=1+2 \u00e9t\u00e9~.txt', 'faq');
    await site.write('public/report*2024.csv', 'a,b');
    await createBucket(aws, 'oddly-named-site');
    const distribution = await createDistribution(aws, 'oddly-named-site');
    const result = await publishSpa(moto.current, site.root, {
      bucket: 'oddly-named-site',
      'distribution-id': distribution.id,
      'build-command': 'node build.mjs',
    });
    expect(result.errors).toEqual([]);
    const sent = await invalidation(aws, distribution.id, result.outputs['invalidation-id'] as string);
    expect(sent.paths).toEqual(expect.arrayContaining(['/q&a=1+2%20%C3%A9t%C3%A9%7E.txt', '/report*']));
    expect(result.outputs['invalidated-paths']).toContain('/q&a=1+2%20%C3%A9t%C3%A9%7E.txt\n/report*\n');
  });

  it('publishes an existing build when build-command is empty, and checks it was built for this API', async () => {
    const aws = awsClients();
    const site = await newWorkspace();
    await createBucket(aws, 'prebuilt-site');
    const prebuilt = await publishSpa(
      moto.current,
      site.root,
      { bucket: 'prebuilt-site', 'build-command': 'OUT_DIR=build node build.mjs', 'dist-dir': 'build', 'api-base-url': API },
      { GITHUB_SHA: 'a'.repeat(40) },
    );
    expect(prebuilt.errors).toEqual([]);
    expect(prebuilt.outputs).toMatchObject({ 'release-id': 'a'.repeat(40), uploaded: '9', url: '', 'invalidation-id': '' });

    const stale = await publishSpa(moto.current, site.root, {
      bucket: 'prebuilt-site',
      'build-command': '',
      'dist-dir': 'build',
      'api-base-url': 'https://api.other.example.test',
    });
    expect(stale.exitCode).toBe(1);
    expect(stale.errors).toEqual([
      expect.stringContaining(
        'The build does not contain api-base-url "https://api.other.example.test" in any of its 3 JavaScript/HTML files.',
      ),
    ]);

    const reused = await publishSpa(moto.current, site.root, {
      bucket: 'prebuilt-site',
      'build-command': '',
      'dist-dir': 'build',
      'api-base-url': API,
      'release-id': 'again',
    });
    expect(reused.errors).toEqual([]);
    expect(reused.outputs).toMatchObject({ uploaded: '0', skipped: '9', 'previous-release-id': 'a'.repeat(40) });
  });
});
