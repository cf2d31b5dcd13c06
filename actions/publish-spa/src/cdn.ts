import { ConfigurationError, pollUntil, type Clock } from '@notebook-ship/action-kit';
import type { Cdn, Distribution } from './cloudfront-api';

/** Where the published prefix appears on the distribution. */
export interface SiteLocation {
  distributionId: string;
  /** The URL path of the site root, starting and ending with `/`. */
  basePath: string;
  url: string;
}

// S3 origins are named `<bucket>.s3.<region>.amazonaws.com`, `<bucket>.s3.amazonaws.com` or, for website endpoints,
// `<bucket>.s3-website-<region>.amazonaws.com` / `<bucket>.s3-website.<region>.amazonaws.com`.
function servesBucket(domainName: string, bucket: string): boolean {
  return domainName.startsWith(`${bucket}.s3.`) || domainName.startsWith(`${bucket}.s3-`);
}

/**
 * Finds the origin that serves the bucket (the default behaviour's first) and maps the key prefix through its
 * origin path, so invalidations and the URL use the paths viewers request.
 */
export function locateSite(distribution: Distribution, bucket: string, prefix: string): SiteLocation {
  const candidates = distribution.origins.filter((origin) => servesBucket(origin.domainName, bucket));
  const origin =
    candidates.find((candidate) => candidate.id === distribution.defaultOriginId) ?? candidates[0];
  if (!origin) {
    const names = distribution.origins.map((candidate) => candidate.domainName).join(', ') || 'none';
    throw new ConfigurationError(
      `CloudFront distribution "${distribution.id}" has no origin on bucket "${bucket}" (its origins: ${names}): ` +
        'check "distribution-id" and "bucket".',
    );
  }
  const originPrefix = origin.originPath.replace(/^\/+|\/+$/g, '');
  const originKeyPrefix = originPrefix ? `${originPrefix}/` : '';
  if (!prefix.startsWith(originKeyPrefix)) {
    throw new ConfigurationError(
      `The distribution reads bucket "${bucket}" under "${origin.originPath}", so it would not serve objects under ` +
        `prefix "${prefix || '(none)'}": set "prefix" to "${originPrefix}" or a folder inside it.`,
    );
  }
  const basePath = `/${prefix.slice(originKeyPrefix.length)}`;
  const host = distribution.aliases[0] ?? distribution.domainName;
  return { distributionId: distribution.id, basePath, url: `https://${host}${basePath}` };
}

/** Beyond this many paths one wildcard is cheaper (each path is billed) and as effective. */
export const MAX_INVALIDATION_PATHS = 100;

// CloudFront's rule for invalidation paths: percent-encode non-ASCII characters and the characters RFC 1738 calls
// unsafe, and nothing else (reserved ones such as `&`, `=`, `+`, `;`, `@`, `$` stay as they are), or the path no
// longer matches the cached object. Control characters are encoded too: they cannot appear in a URL as they are.
const UNSAFE = new Set([...' "#%<>[\\]^`{|}~']);

function encodeCharacter(character: string): string {
  const code = character.codePointAt(0) as number;
  if (code > 0x20 && code < 0x7f && !UNSAFE.has(character)) return character;
  return [...Buffer.from(character, 'utf8')].map((byte) => `%${byte.toString(16).toUpperCase().padStart(2, '0')}`).join('');
}

/**
 * `*` is always a wildcard to CloudFront and allowed only as the last character, so a name holding one is
 * invalidated as everything that starts like it.
 */
function encodePath(path: string): string {
  const star = path.indexOf('*');
  const literal = star === -1 ? path : path.slice(0, star);
  return [...literal].map(encodeCharacter).join('') + (star === -1 ? '' : '*');
}

/**
 * The viewer paths to invalidate for the site paths whose content changed (content-hashed ones never need it):
 * a page `x/index.html` is also served as `x/`.
 */
export function invalidationPaths(changedPaths: readonly string[], basePath: string): string[] {
  const paths = new Set<string>();
  for (const path of changedPaths) {
    paths.add(encodePath(basePath + path));
    if (path === 'index.html' || path.endsWith('/index.html')) {
      paths.add(encodePath(basePath + path.slice(0, -'index.html'.length)));
    }
  }
  const sorted = [...paths].sort();
  return sorted.length > MAX_INVALIDATION_PATHS ? [encodePath(`${basePath}*`)] : sorted;
}

/**
 * Names the release, the kind of change and the workflow run, for whoever reads the distribution's invalidations;
 * the time makes it unique, since one job may publish and roll back the same release (CloudFront would answer a
 * repeated reference with the old invalidation). The SDK's retries resend the same request, so they stay idempotent.
 */
export function callerReference(
  mode: 'publish' | 'rollback',
  releaseId: string,
  env: NodeJS.ProcessEnv,
  now: number = Date.now(),
): string {
  const run = env.GITHUB_RUN_ID ? `run-${env.GITHUB_RUN_ID}.${env.GITHUB_RUN_ATTEMPT ?? '1'}/` : '';
  return `publish-spa/${mode}/${releaseId}/${run}${now}`;
}

export interface WaitOptions {
  intervalMs: number;
  timeoutMs: number;
  clock?: Clock;
}

/** Waits until CloudFront reports the invalidation completed; AWS says `Completed`, emulators `COMPLETED`. */
export async function waitForInvalidation(
  cdn: Cdn,
  distributionId: string,
  invalidationId: string,
  { intervalMs, timeoutMs, clock }: WaitOptions,
): Promise<string> {
  return pollUntil({
    description: `invalidation ${invalidationId} of distribution ${distributionId} to complete`,
    intervalMs,
    timeoutMs,
    clock,
    hint: 'The site is published; only edge caches may still serve the old pages for a while.',
    check: async () => {
      const status = await cdn.invalidationStatus(distributionId, invalidationId);
      return status.toLowerCase() === 'completed' ? { done: true, value: status } : { done: false, state: status };
    },
  });
}
