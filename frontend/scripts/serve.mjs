// Serves a production build the way CloudFront does: static files with SPA fallback, and /api (HTTP and WebSocket)
// and /health forwarded to the backend on the same origin. Used by the browser tests; `npm run serve -w @notebook-ship/frontend
// -- --api http://127.0.0.1:8000 --port 4173` runs it by hand.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, request as httpRequest } from 'node:http';
import { connect } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

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

const isApi = (url) => url === '/api' || url.startsWith('/api/') || url.startsWith('/api?');
// CloudFront sends /health to the ALB too (terraform/frontend.tf), so a smoke test through the edge reaches the task.
const isBackend = (url) => isApi(url) || url === '/health' || url.startsWith('/health?');

/**
 * @param {{ root: string, api: string, port?: number, host?: string }} options
 * @returns {Promise<{ url: string, setWebSocketOutage: (outage: boolean) => void, close: () => Promise<void> }>}
 */
export async function startStaticServer({ root, api, port = 0, host = '127.0.0.1' }) {
  const backend = new URL(api);
  const backendPort = Number(backend.port) || 80;
  const rootDir = resolve(root);
  const sockets = new Set();
  const webSockets = new Set();
  let refuseWebSockets = false;

  const server = createServer(async (req, res) => {
    if (isBackend(req.url ?? '')) return forward(req, res);
    try {
      await sendFile(req, res);
    } catch (error) {
      res.writeHead(500, { 'content-type': 'text/plain' }).end(String(error));
    }
  });

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

  async function sendFile(req, res) {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    let file = normalize(join(rootDir, pathname));
    if (file !== rootDir && !file.startsWith(rootDir + sep)) return res.writeHead(403).end();
    let info = await stat(file).catch(() => null);
    const asset = pathname.startsWith('/assets/');
    if (!info?.isFile()) {
      // A missing hashed asset is a 404 (a stale page then reloads via vite:preloadError); routes get index.html.
      if (asset || extname(pathname)) return res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      file = join(rootDir, 'index.html');
      info = await stat(file);
    }
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
      'content-length': info.size,
      'cache-control': asset ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') return res.end();
    createReadStream(file).pipe(res);
  }

  // WebSocket: replay the upgrade request to the backend and splice the two sockets together.
  server.on('upgrade', (req, client, head) => {
    if (!isApi(req.url ?? '')) return client.destroy();
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
  console.log(`serving ${values.root} at ${url}, /api → ${values.api}`);
}
