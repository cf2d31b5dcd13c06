import { afterAll, describe, expect, it } from '@jest/globals';
import { useMoto } from '@notebook-ship/local-aws/testing';
import {
  awsClients,
  createBucket,
  createDistribution,
  getText,
  listKeys,
  newWorkspace,
  publishSpa,
  referencedAssets,
  removeWorkspaces,
  startAwsProxy,
} from './support';

// What goes wrong on the way, with the committed bundle against emulated S3 (through a scripted proxy where S3
// must misbehave).
const moto = useMoto();
afterAll(removeWorkspaces);
const build = 'node build.mjs';

describe('an upload that fails half-way', () => {
  it('leaves the live index on the complete previous release, deletes nothing, and a re-run finishes', async () => {
    const aws = awsClients();
    const site = await newWorkspace();
    const bucket = 'flaky-site';
    await createBucket(aws, bucket);
    const first = await publishSpa(moto.current, site.root, { bucket, 'build-command': build, 'release-id': 'r1' });
    expect(first.errors).toEqual([]);
    const liveIndex = await getText(aws, bucket, 'index.html');
    const keysBefore = await listKeys(aws, bucket);

    // A release that changes the entry chunk, the stylesheet and the favicon; S3 keeps failing the stylesheet.
    await site.setVersion(2);
    await site.write('src/style.css', '#root{margin:1rem}\n');
    await site.write('public/favicon.svg', '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
    const proxy = await startAwsProxy(moto.current.endpoint, (method, path) =>
      method === 'PUT' && /\/assets\/index-[\w-]+\.css$/.test(path)
        ? { status: 500, code: 'InternalError', message: 'We encountered an internal error. Please try again.' }
        : undefined,
    );
    let failed;
    try {
      failed = await publishSpa(
        moto.current,
        site.root,
        { bucket, 'build-command': build, 'release-id': 'r2' },
        { AWS_ENDPOINT_URL_S3: proxy.endpoint, AWS_MAX_ATTEMPTS: '2' },
      );
    } finally {
      await proxy.close();
    }
    expect(failed.exitCode).toBe(1);
    expect(failed.errors).toEqual([
      expect.stringMatching(
        /^Publishing stopped after 1 of 4 uploads: InternalError: Could not upload s3:\/\/flaky-site\/assets\/index-[\w-]+\.css: We encountered an internal error\. Please try again\. Nothing was deleted and index\.html still serves release r1; re-run the job to finish \(uploaded files are skipped\)\.$/,
      ),
    ]);
    // The stylesheet was tried twice (AWS_MAX_ATTEMPTS), and nothing after the failed phase was attempted.
    const puts = proxy.requests.filter((request) => request.method === 'PUT');
    expect(puts.filter((request) => request.path.endsWith('.css'))).toHaveLength(2);
    expect(puts.map((request) => request.path).filter((path) => !path.includes('/assets/'))).toEqual([]);

    expect(await getText(aws, bucket, 'index.html')).toBe(liveIndex);
    const keysAfter = await listKeys(aws, bucket);
    for (const key of keysBefore) expect(keysAfter).toContain(key);
    for (const asset of referencedAssets(liveIndex)) expect(keysAfter).toContain(asset);
    expect(keysAfter).not.toContain('_releases/r2.json');

    const rerun = await publishSpa(moto.current, site.root, { bucket, 'build-command': build, 'release-id': 'r2' });
    expect(rerun.errors).toEqual([]);
    // The entry chunk made it the first time; the stylesheet, favicon and index.html are what is left.
    expect(rerun.outputs).toMatchObject({ 'release-id': 'r2', 'previous-release-id': 'r1', uploaded: '3', skipped: '6' });
    const newIndex = await getText(aws, bucket, 'index.html');
    expect(newIndex).not.toBe(liveIndex);
    const keys = await listKeys(aws, bucket);
    for (const asset of referencedAssets(newIndex)) expect(keys).toContain(asset);
  });
});

describe('throttling', () => {
  it('retries 503 SlowDown with the SDK retry strategy and publishes everything', async () => {
    const aws = awsClients();
    const site = await newWorkspace();
    const bucket = 'throttled-site';
    await createBucket(aws, bucket);
    let throttled = 0;
    const proxy = await startAwsProxy(moto.current.endpoint, (method) => {
      if (method !== 'PUT' || throttled >= 3) return undefined;
      throttled++;
      return { status: 503, code: 'SlowDown', message: 'Please reduce your request rate.' };
    });
    let result;
    try {
      result = await publishSpa(
        moto.current,
        site.root,
        { bucket, 'build-command': build, 'release-id': 'r1', concurrency: '2' },
        { AWS_ENDPOINT_URL_S3: proxy.endpoint },
      );
    } finally {
      await proxy.close();
    }
    expect(result.errors).toEqual([]);
    expect(result.outputs).toMatchObject({ uploaded: '9', skipped: '0' });
    const slowDowns = proxy.requests.filter((request) => request.status === 503);
    expect(slowDowns).toHaveLength(3);
    for (const refused of slowDowns) {
      expect(proxy.requests.some((request) => request.path === refused.path && request.status === 200)).toBe(true);
    }
    expect(await listKeys(aws, bucket)).toHaveLength(10);
  });
});

describe('a failure after the new index is live', () => {
  it('says the release is live and what the failed step leaves behind', async () => {
    const aws = awsClients();
    const site = await newWorkspace();
    const bucket = 'denied-invalidation-site';
    await createBucket(aws, bucket);
    const distribution = await createDistribution(aws, bucket);
    const proxy = await startAwsProxy(moto.current.endpoint, (method, path) =>
      method === 'POST' && path.endsWith('/invalidation')
        ? { status: 403, code: 'AccessDenied', message: 'User is not authorized to perform: cloudfront:CreateInvalidation' }
        : undefined,
    );
    let result;
    try {
      result = await publishSpa(
        moto.current,
        site.root,
        { bucket, 'distribution-id': distribution.id, 'build-command': build, 'release-id': 'r1' },
        { AWS_ENDPOINT_URL_CLOUDFRONT: proxy.endpoint },
      );
    } finally {
      await proxy.close();
    }
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      `Release r1 is live, but the CloudFront invalidation failed: Access denied by CloudFront: the job's AWS role ` +
        `needs cloudfront:CreateInvalidation on distribution "${distribution.id}". CloudFront may serve the previous ` +
        'pages until its cache expires: re-run the job, or invalidate /index.html and / by hand.',
    ]);
    expect(await listKeys(aws, bucket)).toContain('index.html');
  });
});

describe('checking the build against api-base-url', () => {
  it('fails before uploading when the build command overrides the requested URL', async () => {
    const aws = awsClients();
    const site = await newWorkspace();
    await createBucket(aws, 'override-site');
    const result = await publishSpa(moto.current, site.root, {
      bucket: 'override-site',
      'api-base-url': 'https://api.example.test',
      'build-command': 'VITE_API_BASE_URL=https://api.hardcoded.example.test node build.mjs',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      'The build does not contain api-base-url "https://api.example.test" in any of its 3 JavaScript/HTML files. ' +
        'The app must read import.meta.env.VITE_API_BASE_URL (this action sets it for the build), and the build ' +
        'command must not override it; with "build-command" empty, the existing build was made with another URL.',
    ]);
    expect(await listKeys(aws, 'override-site')).toEqual([]);
  });

  it('fails a same-origin build that fell back to the URL in .env.production', async () => {
    const aws = awsClients();
    const site = await newWorkspace();
    await createBucket(aws, 'fallback-site');
    const result = await publishSpa(moto.current, site.root, {
      bucket: 'fallback-site',
      'build-command': 'unset VITE_API_BASE_URL; node build.mjs',
    });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([
      expect.stringMatching(
        /^api-base-url is empty \(the API is served from the site's own origin\), but assets\/index-[\w-]+\.js calls https:\/\/api\.staging\.example\.test \(VITE_API_BASE_URL in \.env\.production\)\./,
      ),
    ]);
    expect(await listKeys(aws, 'fallback-site')).toEqual([]);
  });

  it('publishes a same-origin build: the empty variable wins over .env.production', async () => {
    const aws = awsClients();
    const site = await newWorkspace();
    await createBucket(aws, 'same-origin-site');
    const result = await publishSpa(moto.current, site.root, { bucket: 'same-origin-site', 'build-command': build });
    expect(result.errors).toEqual([]);
    expect(result.summary).toContain('| **API base URL** | same origin |');
  });
});

describe('mistakes in the workflow', () => {
  it.each([
    [{ bucket: 'no-such-bucket', 'build-command': build }, 'Bucket "no-such-bucket" does not exist (or is in another account): check the "bucket" input.'],
    [{ bucket: 'mistakes-site', 'build-command': 'echo compiling; exit 3' }, 'The build command `echo compiling; exit 3` failed with exit code 3 (its output is above); nothing was published.'],
    [{ bucket: 'mistakes-site', 'working-directory': 'web' }, 'does not exist: set "working-directory" to the front end\'s folder.'],
    [{ bucket: 'mistakes-site', 'build-command': build, 'dist-dir': 'src' }, 'has no index.html: is "dist-dir" the build\'s output folder, and did the build succeed?'],
    [{ bucket: 'mistakes-site', 'build-command': build, 'distribution-id': 'E404' }, 'CloudFront distribution "E404" does not exist: check the "distribution-id" input.'],
  ])('%j fails with a message that says what to fix', async (inputs, message) => {
    const aws = awsClients();
    await createBucket(aws, 'mistakes-site').catch(() => undefined);
    const site = await newWorkspace();
    const result = await publishSpa(moto.current, site.root, inputs);
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining(message)]);
    expect(await listKeys(aws, 'mistakes-site')).toEqual([]);
  });

  it('refuses a distribution that does not serve the bucket before uploading anything', async () => {
    const aws = awsClients();
    await createBucket(aws, 'lonely-site');
    const distribution = await createDistribution(aws, 'other-site');
    const site = await newWorkspace();
    const result = await publishSpa(moto.current, site.root, {
      bucket: 'lonely-site',
      'distribution-id': distribution.id,
      'build-command': build,
    });
    expect(result.errors).toEqual([
      `CloudFront distribution "${distribution.id}" has no origin on bucket "lonely-site" (its origins: ` +
        'other-site.s3.us-east-1.amazonaws.com): check "distribution-id" and "bucket".',
    ]);
    expect(await listKeys(aws, 'lonely-site')).toEqual([]);
  });
});
