// The local edge: plays the CloudFront distribution of terraform/frontend.tf. The default behaviour serves the site
// from an origin (a build directory for the browser tests, the emulated S3 bucket for `npm start`) through the real
// spa_fallback viewer-request function; /api/* and /health (HTTP and WebSocket) go to the backend on the same origin.
// `npm run serve -w @notebook-ship/frontend -- --api http://127.0.0.1:8000 --port 4173` serves a build by hand.
import { createReadStream, readFileSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

/** The distribution's ordered cache behaviours; scripts/test/rehearsal-edge.test.ts holds them to terraform/frontend.tf. */
export const BEHAVIOURS = [
  { pathPattern: '/api/*', origin: 'api', allowedMethods: ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'] },
  { pathPattern: '/health', origin: 'api', allowedMethods: ['GET', 'HEAD'] },
];
export const DEFAULT_BEHAVIOUR = { origin: 'site', allowedMethods: ['GET', 'HEAD', 'OPTIONS'], viewerRequest: 'spa_fallback' };

const functionsDir = fileURLToPath(new URL('../../terraform/functions/', import.meta.url));

/** A CloudFront Function (cloudfront-js-2.0 defines a global `handler`), run from its Terraform source. */
function loadFunction(name) {
  const code = readFileSync(join(functionsDir, `${name}.js`), 'utf8');
  return new Function(`${code}\nreturn handler;`)();
}
const viewerRequests = { spa_fallback: loadFunction('spa_fallback') };

/** CloudFront path patterns: `*` any characters, `?` one, case-sensitive, matched against the path alone. */
export function matchesPathPattern(pattern, path) {
  const source = [...pattern].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')));
  return new RegExp(`^${source.join('')}$`).test(path);
}

/** The first behaviour whose pattern matches, else the default one. */
export function behaviourFor(path) {
  return BEHAVIOURS.find((behaviour) => matchesPathPattern(behaviour.pathPattern, path)) ?? DEFAULT_BEHAVIOUR;
}

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

/**
 * @typedef {{ status: number, headers?: Record<string, string | number>, body?: NodeJS.ReadableStream | string }} OriginResponse
 * @typedef {(request: { uri: string, method: string }) => Promise<OriginResponse>} Origin
 */

const notFound = (uri) => ({ status: 404, headers: { 'content-type': 'text/plain' }, body: `not found: ${uri}` });

/**
 * A build directory as the site origin, with the headers publish-spa would store: hashed assets immutable,
 * everything else revalidated.
 * @returns {Origin}
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

/** A path that climbs out of the root once decoded (`/..%2f..`) is refused before any behaviour sees it. */
function climbsOut(path) {
  try {
    return decodeURIComponent(path).split(/[/\\]/).includes('..');
  } catch {
    return true;
  }
}

/**
 * @param {{ site: Origin, api: string, port?: number, host?: string }} options
 * @returns {Promise<{ url: string, setWebSocketOutage: (outage: boolean) => void, close: () => Promise<void> }>}
 */
export async function startEdge({ site, api, port = 0, host = '127.0.0.1' }) {
  const backend = new URL(api);
  const backendPort = Number(backend.port) || 80;
  const sockets = new Set();
  const webSockets = new Set();
  let refuseWebSockets = false;

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://edge').pathname;
    if (climbsOut(path)) return res.writeHead(403, { 'content-type': 'text/plain' }).end('forbidden');
    const behaviour = behaviourFor(path);
    if (!behaviour.allowedMethods.includes(req.method ?? 'GET')) {
      return res
        .writeHead(403, { 'content-type': 'text/plain' })
        .end('This distribution is not configured to allow the HTTP request method that was used for this request.');
    }
    if (behaviour.origin === 'api') return forward(req, res);
    try {
      await fromSite(req, res, behaviour, path);
    } catch (error) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`the origin failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  async function fromSite(req, res, behaviour, path) {
    const viewerRequest = viewerRequests[behaviour.viewerRequest];
    const { uri } = viewerRequest({ request: { method: req.method, uri: path, querystring: {}, headers: {} } });
    const answer = await site({ uri, method: req.method ?? 'GET' });
    res.writeHead(answer.status, answer.headers ?? {});
    if (req.method === 'HEAD' || answer.body === undefined) {
      if (typeof answer.body === 'object') answer.body.destroy?.();
      return res.end();
    }
    if (typeof answer.body === 'string') return res.end(answer.body);
    answer.body.on('error', () => res.destroy()).pipe(res);
  }

  // Every viewer header goes on, Host included: CloudFront's AllViewerExceptHostHeader would replace it, but the
  // service compares a browser's Origin with Host when it runs without ACCESS_TOKEN, as the browser tests run it.
  function forward(req, res) {
    const upstream = httpRequest(
      { host: backend.hostname, port: backendPort, method: req.method, path: req.url, headers: req.headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `the backend is unreachable: ${error.message}` }));
    });
    req.pipe(upstream);
  }

  // WebSocket: replay the upgrade request to the backend and splice the two sockets together.
  server.on('upgrade', (req, client, head) => {
    const path = new URL(req.url ?? '/', 'http://edge').pathname;
    if (climbsOut(path) || behaviourFor(path).origin !== 'api') return client.destroy();
    if (refuseWebSockets) return client.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    const upstream = connect(backendPort, backend.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length) upstream.write(head);
      upstream.pipe(client).pipe(upstream);
    });
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      webSockets.add(socket);
      socket.on('close', () => {
        sockets.delete(socket);
        webSockets.delete(socket);
      });
    }
    upstream.on('error', () => client.destroy());
    client.on('error', () => upstream.destroy());
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, done);
  });
  const address = server.address();
  return {
    url: `http://${host}:${address.port}`,
    /** Simulates a network outage for WebSockets (REST keeps working): drops the open ones, refuses new ones. */
    setWebSocketOutage(outage) {
      refuseWebSockets = outage;
      if (outage) for (const socket of webSockets) socket.destroy();
    },
    close: () =>
      new Promise((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
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
