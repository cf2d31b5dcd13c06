// What a built page references and how it must be served: pure functions over HTML, JS and CSS text.

export type AssetKind = 'script' | 'style' | 'other';

export interface AssetRef {
  url: URL;
  kind: AssetKind;
}

const TAG = /<(script|link)\b([^>]*)>/gi;
const ATTRIBUTE = /([^\s=/>]+)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+)))?/g;

function attributes(text: string): Map<string, string> {
  const found = new Map<string, string>();
  for (const [, name, double, single, bare] of text.matchAll(ATTRIBUTE)) {
    found.set((name as string).toLowerCase(), double ?? single ?? bare ?? '');
  }
  return found;
}

/** Scripts, module preloads, stylesheets and other linked files of the page, resolved against its URL. */
export function pageReferences(html: string, pageUrl: URL): AssetRef[] {
  const refs: AssetRef[] = [];
  for (const [, tag, text] of html.matchAll(TAG)) {
    const attrs = attributes(text as string);
    const target = (tag as string).toLowerCase() === 'script' ? attrs.get('src') : attrs.get('href');
    if (!target) continue;
    const rel = (attrs.get('rel') ?? '').toLowerCase().split(/\s+/);
    const as = attrs.get('as')?.toLowerCase();
    let kind: AssetKind = 'other';
    if ((tag as string).toLowerCase() === 'script' || rel.includes('modulepreload') || as === 'script') kind = 'script';
    else if (rel.includes('stylesheet') || as === 'style') kind = 'style';
    else if (!rel.some((value) => ['preload', 'icon', 'manifest', 'apple-touch-icon'].includes(value))) continue;
    const url = new URL(target, pageUrl);
    if (url.protocol === 'http:' || url.protocol === 'https:') refs.push({ url, kind });
  }
  return unique(refs);
}

// A quoted relative or root path to a .js/.mjs/.css file: Vite's static and dynamic imports, its preload list
// (paths relative to the site base) and `new Worker('/assets/...')`.
const CODE_REFERENCE = /["'`]((?:\.{1,2}\/|\/|assets\/)[A-Za-z0-9_.~@/-]+\.(?:m?js|css))["'`]/g;
const CSS_URL = /url\(\s*["']?([^"')]+?)["']?\s*\)/g;

/**
 * The chunks a script loads later. Only files in the script's own directory count: a bundler puts every chunk
 * there, and a path string that merely looks like a file elsewhere in library code must not become a finding.
 */
export function codeReferences(code: string, fileUrl: URL, siteBase: URL): AssetRef[] {
  const refs: AssetRef[] = [];
  for (const [, path] of code.matchAll(CODE_REFERENCE)) {
    const url = new URL(path as string, (path as string).startsWith('assets/') ? siteBase : fileUrl);
    if (sameDirectory(url, fileUrl)) refs.push({ url, kind: kindOf(url) });
  }
  return unique(refs);
}

/** Fonts and images a stylesheet loads, on the same origin. */
export function styleReferences(css: string, fileUrl: URL): AssetRef[] {
  const refs: AssetRef[] = [];
  for (const [, target] of css.matchAll(CSS_URL)) {
    if ((target as string).startsWith('data:') || (target as string).startsWith('#')) continue;
    const url = new URL(target as string, fileUrl);
    if (url.origin === fileUrl.origin) refs.push({ url, kind: kindOf(url) });
  }
  return unique(refs);
}

function kindOf(url: URL): AssetKind {
  if (/\.m?js$/.test(url.pathname)) return 'script';
  if (url.pathname.endsWith('.css')) return 'style';
  return 'other';
}

function sameDirectory(a: URL, b: URL): boolean {
  const directory = (url: URL) => url.pathname.slice(0, url.pathname.lastIndexOf('/') + 1);
  return a.origin === b.origin && directory(a) === directory(b);
}

function unique(refs: AssetRef[]): AssetRef[] {
  const seen = new Map<string, AssetRef>();
  for (const ref of refs) {
    ref.url.hash = '';
    if (!seen.has(ref.url.href)) seen.set(ref.url.href, ref);
  }
  return [...seen.values()];
}

const JAVASCRIPT = new Set(['text/javascript', 'application/javascript', 'application/x-javascript', 'text/ecmascript', 'application/ecmascript']);

/** Why a browser would not use this answer for the asset, or undefined when it would. */
export function assetProblem(kind: AssetKind, status: number, contentType: string, bytes: number): string | undefined {
  if (status !== 200) return `HTTP ${status}`;
  if (contentType === 'text/html' && kind !== 'other') {
    return 'text/html: a page answered instead of the file (the SPA fallback for a file missing from the bucket?)';
  }
  if (kind === 'script' && !JAVASCRIPT.has(contentType)) {
    return `Content-Type ${contentType || 'missing'}: browsers refuse to run module scripts not served as text/javascript`;
  }
  if (kind === 'style' && contentType !== 'text/css') {
    return `Content-Type ${contentType || 'missing'}: browsers ignore stylesheets not served as text/css`;
  }
  if (bytes === 0) return 'empty body';
  return undefined;
}

/** index.html must be revalidated on every load, or browsers keep a page whose assets a deploy replaced. */
export function revalidates(cacheControl: string | null): boolean {
  const directives = (cacheControl ?? '')
    .toLowerCase()
    .split(',')
    .map((directive) => directive.trim());
  return directives.some((directive) => directive === 'no-cache' || directive === 'no-store' || directive === 'max-age=0');
}

const URL_IN_CODE = /\b(ws|http):\/\/(\[[0-9a-f:.]+\]|[a-z0-9-]+(?:\.[a-z0-9-]+)*)(:\d+)?/gi;

/**
 * Insecure URLs the app could call: any ws:// address, and http:// addresses of the deployment's own hosts, AWS
 * endpoints (a load balancer or API Gateway baked in instead of the CloudFront origin), IP addresses or a local
 * port. XML namespaces, documentation links and bare `http://localhost` (a URL-parsing base) are not calls.
 */
export function insecureUrls(code: string, deploymentHosts: readonly string[]): string[] {
  const found = new Set<string>();
  const hosts = deploymentHosts.map((host) => host.toLowerCase());
  for (const [match, scheme, rawHost, port] of code.matchAll(URL_IN_CODE)) {
    const host = (rawHost as string).toLowerCase();
    const local = host === 'localhost' || host.endsWith('.localhost');
    const insecure =
      (scheme as string).toLowerCase() === 'ws' ||
      (local ? port !== undefined : hosts.includes(host)) ||
      /\.(amazonaws\.com|cloudfront\.net|on\.aws)$/.test(host) ||
      /^\d+\.\d+\.\d+\.\d+$/.test(host) ||
      host.startsWith('[');
    if (insecure) found.add(match);
  }
  return [...found];
}
