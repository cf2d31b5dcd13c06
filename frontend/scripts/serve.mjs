// A production build served the way the CloudFront distribution of terraform/frontend.tf serves it: the static server
// of the browser tests and of `npm run serve -w @notebook-ship/frontend -- --api http://127.0.0.1:8000 --port 4173`.
// The distribution is played by the edge of packages/local-aws (the one `npm start` puts in front of the deployed
// app), from the description below: the default behaviour serves the build through the real spa_fallback
// viewer-request function; /api/* and /health (HTTP and WebSocket) go to the backend on the same origin.
// The edge is TypeScript: importers are TypeScript-aware (vitest, jest), and the CLI runs through tsx.
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { compileFunction } from '../../packages/local-aws/src/distribution-edge.ts';
import { startEdge as startDistribution } from '../../packages/local-aws/src/edge.ts';

/** The distribution's ordered cache behaviours; packages/local-aws/test/edge.test.ts holds them to terraform/frontend.tf. */
export const BEHAVIOURS = [
  { pathPattern: '/api/*', origin: 'api', allowedMethods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] },
  { pathPattern: '/health', origin: 'api', allowedMethods: ['GET', 'HEAD'] },
];
/** Its default behaviour, with its viewer-request function by its name in terraform/functions/. */
export const DEFAULT_BEHAVIOUR = { origin: 'site', allowedMethods: ['GET', 'HEAD', 'OPTIONS'], viewerRequest: 'spa_fallback' };

const functionsDir = fileURLToPath(new URL('../../terraform/functions/', import.meta.url));

/** A CloudFront Function run from its Terraform source, as the distribution runs it. */
const viewerRequest = (name) => compileFunction(readFileSync(join(functionsDir, `${name}.js`), 'utf8'));

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.ttf': 'font/ttf',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
};

const notFound = (uri) => ({ status: 404, headers: { 'content-type': 'text/plain' }, body: `not found: ${uri}` });

/**
 * A build directory as the site origin, with the headers publish-spa would store: hashed assets immutable,
 * everything else revalidated.
 * @returns {import('../../packages/local-aws/src/edge.ts').SiteOrigin}
 */
export function directoryOrigin(root) {
  const rootDir = resolve(root);
  return async ({ uri }) => {
    const file = normalize(join(rootDir, decodeURIComponent(uri)));
    if (file !== rootDir && !file.startsWith(rootDir + sep)) return { status: 403 };
    const info = await stat(file).catch(() => null);
    if (!info?.isFile()) return notFound(uri);
    return {
      status: 200,
      headers: {
        'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
        'content-length': info.size,
        'cache-control': uri.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache',
      },
      body: createReadStream(file),
    };
  };
}

/**
 * The distribution with any site origin behind its default behaviour and the backend at `api`: a build directory
 * here, a bucket in moto in packages/local-aws/test/edge.test.ts.
 */
export function startEdge({ site, api, port = 0, host = '127.0.0.1' }) {
  return startDistribution({
    behaviours: BEHAVIOURS,
    defaultBehaviour: { ...DEFAULT_BEHAVIOUR, viewerRequest: viewerRequest(DEFAULT_BEHAVIOUR.viewerRequest) },
    sites: { site },
    backends: { api: { url: api } },
    port,
    host,
  });
}

/** A production build served the way CloudFront serves it, with /api and /health on `api`. */
export function startStaticServer({ root, api, port = 0, host = '127.0.0.1' }) {
  return startEdge({ site: directoryOrigin(root), api, port, host });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      root: { type: 'string', default: fileURLToPath(new URL('../dist', import.meta.url)) },
      api: { type: 'string', default: 'http://127.0.0.1:8000' },
      port: { type: 'string', default: '4173' },
      host: { type: 'string', default: '127.0.0.1' },
    },
  });
  const { url } = await startStaticServer({ ...values, port: Number(values.port) });
  console.log(`serving ${values.root} at ${url}, /api/* and /health → ${values.api}`);
}
