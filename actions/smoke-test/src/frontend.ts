import { ConfigurationError } from '@notebook-ship/action-kit';
import { excerpt, NoAnswer } from './http';
import { insecureUrls, revalidates } from './page';
import { DEEP_LINK, type Site } from './site';

const LISTED = 5;

/** The `frontend` check: the page, its cache policy, every file it loads, and client-side routes. */
export function judgeFrontend(site: Site): string {
  const { page, pageUrl } = site;
  if (page.status !== 200) {
    throw new ConfigurationError(
      `${pageUrl.href} returned HTTP ${page.status}${excerpt(page) ? ` (${excerpt(page)})` : ''}: is the front end published ` +
        "to the bucket, and is CloudFront's default root object index.html?",
    );
  }
  if (page.contentType !== 'text/html') {
    throw new ConfigurationError(`${pageUrl.href} returned ${page.contentType || 'no Content-Type'}, not an HTML page.`);
  }
  const problems: string[] = [];
  const scripts = site.assets.filter((asset) => asset.ref.kind === 'script');
  if (scripts.length === 0) {
    problems.push(`${pageUrl.href} references no script: is it the built front end (vite build), not the source index.html?`);
  }
  const broken = site.assets.filter((asset) => asset.problem);
  if (broken.length) {
    const listed = broken.slice(0, LISTED).map((asset) => `${asset.ref.url.pathname} (${asset.problem})`);
    const more = broken.length > LISTED ? ` and ${broken.length - LISTED} more` : '';
    problems.push(
      `${broken.length} of ${site.assets.length} files the page loads are broken: ${listed.join('; ')}${more}. ` +
        'Was the build published completely (assets before index.html)?',
    );
  }
  const cacheControl = page.headers.get('cache-control');
  if (!revalidates(cacheControl)) {
    problems.push(
      `index.html is served with Cache-Control ${cacheControl ? `"${cacheControl}"` : 'missing'}: browsers may keep an ` +
        'old page whose assets a deploy replaced. Serve it with "no-cache" (publish-spa does).',
    );
  }
  const deepLink = site.deepLink;
  const route = new URL(DEEP_LINK, pageUrl).pathname;
  if (deepLink instanceof NoAnswer || deepLink.status !== 200 || deepLink.contentType !== 'text/html') {
    const got = deepLink instanceof NoAnswer ? deepLink.message : `HTTP ${deepLink.status} ${deepLink.contentType}`.trim();
    problems.push(
      `a client-side route (${route}) did not serve the app (${got}): reloads and shared links would break — the edge ` +
        'must answer extensionless paths with index.html (the CloudFront function spa_fallback).',
    );
  }
  if (problems.length) throw new ConfigurationError(problems.join(' '));
  const bytes = site.assets.reduce((total, asset) => total + asset.bytes, 0);
  return (
    `index.html (Cache-Control: ${cacheControl}) and its ${site.assets.length} files (${scripts.length} scripts, ` +
    `${megabytes(bytes)}) load; client-side routes serve the app`
  );
}

/** The front-end half of the `same-origin` check: no http:// or ws:// address baked into an https page. */
export function judgeBundleUrls(site: Site, deploymentHosts: readonly string[]): string {
  if (site.pageUrl.protocol !== 'https:') return 'bundle not scanned for insecure URLs (url is not https)';
  const scripts = site.assets.filter((asset) => asset.ref.kind === 'script' && asset.text !== undefined && !asset.problem);
  if (scripts.length === 0) return 'bundle not scanned for insecure URLs (no script loaded: see the frontend check)';
  const findings: string[] = [];
  const sources = [
    { path: site.pageUrl.pathname, text: site.page.body.toString('utf8') },
    ...scripts.map((asset) => ({ path: asset.ref.url.pathname, text: asset.text ?? '' })),
  ];
  for (const { path, text } of sources) {
    for (const url of insecureUrls(text, deploymentHosts)) findings.push(`${url} in ${path}`);
  }
  if (findings.length) {
    throw new ConfigurationError(
      `The front end has insecure URLs baked in: ${findings.slice(0, LISTED).join(', ')}${findings.length > LISTED ? ` (+${findings.length - LISTED} more)` : ''}. ` +
        'An https page cannot call them (mixed content) and the token would travel in clear: build with ' +
        'VITE_API_BASE_URL empty (same origin, through CloudFront) or an https:// URL.',
    );
  }
  return `no insecure URL in ${scripts.length} scripts`;
}

function megabytes(bytes: number): string {
  return bytes >= 1_000_000 ? `${(bytes / 1_000_000).toFixed(1)} MB` : `${Math.ceil(bytes / 1_000)} kB`;
}
