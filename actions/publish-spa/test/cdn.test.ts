import { describe, expect, it } from '@jest/globals';
import { TimeoutError, type Clock } from '@notebook-ship/action-kit';
import {
  callerReference,
  invalidationPaths,
  locateSite,
  MAX_INVALIDATION_PATHS,
  waitForInvalidation,
} from '../src/cdn';
import type { Cdn, Distribution } from '../src/cloudfront-api';

function distribution(origins: Distribution['origins'], extra: Partial<Distribution> = {}): Distribution {
  return {
    id: 'E123',
    domainName: 'd111.cloudfront.net',
    aliases: [],
    origins,
    defaultOriginId: origins[0]?.id ?? '',
    ...extra,
  };
}

describe('locateSite', () => {
  const api = { id: 'api', domainName: 'alb-1.eu-west-1.elb.amazonaws.com', originPath: '' };
  const site = { id: 'site', domainName: 'web-bucket.s3.eu-west-1.amazonaws.com', originPath: '' };

  it('serves the bucket root at / and the URL on the first alias', () => {
    expect(locateSite(distribution([api, site]), 'web-bucket', '')).toEqual({
      distributionId: 'E123',
      basePath: '/',
      url: 'https://d111.cloudfront.net/',
    });
    expect(locateSite(distribution([site], { aliases: ['app.example.com'] }), 'web-bucket', '').url).toBe(
      'https://app.example.com/',
    );
  });

  it('maps the prefix through the origin path', () => {
    const atRoot = distribution([site]);
    expect(locateSite(atRoot, 'web-bucket', 'web/').basePath).toBe('/web/');
    const underWeb = distribution([{ ...site, originPath: '/web' }]);
    expect(locateSite(underWeb, 'web-bucket', 'web/').basePath).toBe('/');
    expect(locateSite(underWeb, 'web-bucket', 'web/v2/').basePath).toBe('/v2/');
  });

  it('recognises website endpoints and prefers the default behaviour origin', () => {
    const website = { id: 'w', domainName: 'web-bucket.s3-website-eu-west-1.amazonaws.com', originPath: '/old' };
    const chosen = distribution([website, site], { defaultOriginId: 'site' });
    expect(locateSite(chosen, 'web-bucket', '').basePath).toBe('/');
  });

  it('refuses a distribution that would not serve what is published', () => {
    expect(() => locateSite(distribution([api]), 'web-bucket', '')).toThrow(
      'CloudFront distribution "E123" has no origin on bucket "web-bucket" (its origins: alb-1.eu-west-1.elb.amazonaws.com)',
    );
    expect(() => locateSite(distribution([{ ...site, originPath: '/web' }]), 'web-bucket', 'other/')).toThrow(
      'set "prefix" to "web" or a folder inside it',
    );
    expect(() => locateSite(distribution([site]), 'web-bucket-2', '')).toThrow('has no origin on bucket "web-bucket-2"');
  });
});

describe('invalidationPaths', () => {
  it('invalidates a changed index both as a file and as its folder', () => {
    expect(invalidationPaths(['index.html', 'robots.txt'], '/')).toEqual(['/', '/index.html', '/robots.txt']);
    expect(invalidationPaths(['docs/index.html'], '/web/')).toEqual(['/web/docs/', '/web/docs/index.html']);
  });

  it('percent-encodes only non-ASCII and RFC 1738 unsafe characters, as CloudFront asks', () => {
    expect(invalidationPaths(['files/a bü#1%{x}|^~[`]"<>\\.txt'], '/')).toEqual([
      '/files/a%20b%C3%BC%231%25%7Bx%7D%7C%5E%7E%5B%60%5D%22%3C%3E%5C.txt',
    ]);
    expect(invalidationPaths(["docs/q&a=1+2;v@$,!'()-_.html"], '/')).toEqual(["/docs/q&a=1+2;v@$,!'()-_.html"]);
  });

  it('turns a `*` in a name into a trailing wildcard, the only place CloudFront allows one', () => {
    expect(invalidationPaths(['files/a*b.txt', 'files/c d*'], '/web/')).toEqual(['/web/files/a*', '/web/files/c%20d*']);
    expect(invalidationPaths(['index.html'], '/my site/')).toEqual(['/my%20site/', '/my%20site/index.html']);
  });

  it('falls back to one wildcard when many paths changed', () => {
    const many = Array.from({ length: MAX_INVALIDATION_PATHS + 1 }, (_, index) => `file-${index}.txt`);
    expect(invalidationPaths(many, '/web/')).toEqual(['/web/*']);
    expect(invalidationPaths(many.slice(1), '/')).toHaveLength(MAX_INVALIDATION_PATHS);
  });
});

describe('callerReference', () => {
  const env = { GITHUB_RUN_ID: '42', GITHUB_RUN_ATTEMPT: '2' };

  it('names the change, the release and the run attempt', () => {
    expect(callerReference('publish', 'abc123', env, 1_700_000_000_000)).toBe('publish-spa/publish/abc123/run-42.2/1700000000000');
    expect(callerReference('rollback', 'abc123', {}, 5)).toBe('publish-spa/rollback/abc123/5');
  });

  it('differs between two changes of the same release in one run', () => {
    const first = callerReference('rollback', 'abc123', env);
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        expect(callerReference('rollback', 'abc123', env)).not.toBe(first);
        resolve();
      }, 2),
    );
  });
});

describe('waitForInvalidation', () => {
  function fakeClock(): Clock & { slept: number[] } {
    let now = 0;
    const slept: number[] = [];
    return { slept, now: () => now, sleep: async (ms) => void (slept.push(ms), (now += ms)) };
  }
  const cdnReporting = (statuses: string[]): Cdn => ({
    describe: async () => distribution([]),
    invalidate: async () => 'I1',
    invalidationStatus: async () => statuses.shift() ?? 'InProgress',
  });

  it('waits at a fixed interval until AWS says Completed', async () => {
    const clock = fakeClock();
    const status = await waitForInvalidation(cdnReporting(['InProgress', 'InProgress', 'Completed']), 'E1', 'I1', {
      intervalMs: 5_000,
      timeoutMs: 60_000,
      clock,
    });
    expect(status).toBe('Completed');
    expect(clock.slept).toEqual([5_000, 5_000]);
  });

  it('accepts the emulator spelling COMPLETED', async () => {
    await expect(
      waitForInvalidation(cdnReporting(['COMPLETED']), 'E1', 'I1', { intervalMs: 1, timeoutMs: 1, clock: fakeClock() }),
    ).resolves.toBe('COMPLETED');
  });

  it('gives up at the deadline, saying the site is published', async () => {
    const wait = waitForInvalidation(cdnReporting([]), 'E1', 'I1', { intervalMs: 5_000, timeoutMs: 12_000, clock: fakeClock() });
    await expect(wait).rejects.toThrow(TimeoutError);
    await expect(
      waitForInvalidation(cdnReporting([]), 'E1', 'I1', { intervalMs: 5_000, timeoutMs: 12_000, clock: fakeClock() }),
    ).rejects.toThrow(/invalidation I1 of distribution E1 to complete \(4 checks\)\. Last state: InProgress\. The site is published/);
  });
});
