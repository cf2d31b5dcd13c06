// A CloudFront stand-in on loopback: ordered cache behaviours matched by path pattern, the allowed methods of each,
// viewer-request functions run on the default behaviour's requests, site origins answered by a function (a build
// directory, an S3 bucket) and backend origins proxied, WebSockets included. What it plays comes from a description
// of the distribution (distribution-edge.ts reads one from the emulated CloudFront API).
import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import { connect, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import type { Readable } from 'node:stream';

export interface OriginResponse {
  status: number;
  headers?: Record<string, string | number>;
  body?: Readable | string;
}

/** A site origin: answers a GET or HEAD of a URI. */
export type SiteOrigin = (request: { uri: string; method: string }) => Promise<OriginResponse>;

/** A CloudFront Function (cloudfront-js-2.0) for viewer-request events: returns the request, or a response. */
export type ViewerRequest = (event: { request: { method: string; uri: string; querystring: object; headers: object } }) =>
  | { uri: string }
  | { statusCode: number; statusDescription?: string; headers?: Record<string, { value: string }> };

export interface EdgeBehaviour {
  /** Absent for the default behaviour. */
  pathPattern?: string;
  /** The origin id, a key of `sites` or `backends`. */
  origin: string;
  allowedMethods: string[];
  viewerRequest?: ViewerRequest;
}

export interface EdgeOptions {
  behaviours: EdgeBehaviour[];
  defaultBehaviour: EdgeBehaviour;
  sites: Record<string, SiteOrigin>;
  /** Origins proxied as they are (HTTP and WebSocket), with the origin's custom headers added. */
  backends: Record<string, { url: string; headers?: Record<string, string> }>;
  port?: number;
  host?: string;
}

export interface Edge {
  url: string;
  /** Simulates a network outage for WebSockets (REST keeps working): drops the open ones, refuses new ones. */
  setWebSocketOutage: (outage: boolean) => void;
  close: () => Promise<void>;
}

/** CloudFront path patterns: `*` any characters, `?` one, case-sensitive, matched against the path alone. */
export function matchesPathPattern(pattern: string, path: string): boolean {
  const source = [...pattern].map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[\\^$.|+()[\]{}]/g, '\\$&')));
  return new RegExp(`^${source.join('')}$`).test(path);
}

/** The first behaviour whose pattern matches, else the default one. */
export function behaviourFor(options: Pick<EdgeOptions, 'behaviours' | 'defaultBehaviour'>, path: string): EdgeBehaviour {
  return options.behaviours.find((behaviour) => behaviour.pathPattern && matchesPathPattern(behaviour.pathPattern, path)) ?? options.defaultBehaviour;
}

/** A path that climbs out of the root once decoded (`/..%2f..`) is refused before any behaviour sees it. */
function climbsOut(path: string): boolean {
  try {
    return decodeURIComponent(path).split(/[/\\]/).includes('..');
  } catch {
    return true;
  }
}

const text = (res: ServerResponse, status: number, body: string) => res.writeHead(status, { 'content-type': 'text/plain' }).end(body);

export async function startEdge(options: EdgeOptions): Promise<Edge> {
  const { sites, backends, port = 0, host = '127.0.0.1' } = options;
  for (const behaviour of [...options.behaviours, options.defaultBehaviour]) {
    if (!sites[behaviour.origin] && !backends[behaviour.origin]) throw new Error(`the edge has no origin "${behaviour.origin}"`);
  }
  const sockets = new Set<Socket>();
  const webSockets = new Set<Socket>();
  let refuseWebSockets = false;

  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://edge').pathname;
    if (climbsOut(path)) return text(res, 403, 'forbidden');
    const behaviour = behaviourFor(options, path);
    if (!behaviour.allowedMethods.includes(req.method ?? 'GET')) {
      return text(res, 403, 'This distribution is not configured to allow the HTTP request method that was used for this request.');
    }
    const backend = backends[behaviour.origin];
    if (backend) return forward(req, res, backend);
    try {
      await fromSite(req, res, behaviour, path);
    } catch (error) {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`the origin failed: ${error instanceof Error ? error.message : String(error)}`);
    }
  });

  async function fromSite(req: IncomingMessage, res: ServerResponse, behaviour: EdgeBehaviour, path: string) {
    const method = req.method ?? 'GET';
    let uri = path;
    if (behaviour.viewerRequest) {
      const result = behaviour.viewerRequest({ request: { method, uri: path, querystring: {}, headers: {} } });
      if ('statusCode' in result) {
        const headers = Object.fromEntries(Object.entries(result.headers ?? {}).map(([name, { value }]) => [name, value]));
        return res.writeHead(result.statusCode, headers).end();
      }
      uri = result.uri;
    }
    const answer = await (sites[behaviour.origin] as SiteOrigin)({ uri, method });
    res.writeHead(answer.status, answer.headers ?? {});
    if (method === 'HEAD' || answer.body === undefined) {
      if (typeof answer.body === 'object') answer.body.destroy();
      return res.end();
    }
    if (typeof answer.body === 'string') return res.end(answer.body);
    answer.body.on('error', () => res.destroy()).pipe(res);
  }

  // Every viewer header goes on, Host included: CloudFront's AllViewerExceptHostHeader would replace it, but the
  // service compares a browser's Origin with Host when it runs without ACCESS_TOKEN, as the browser tests run it.
  function forward(req: IncomingMessage, res: ServerResponse, backend: EdgeOptions['backends'][string]) {
    const target = new URL(backend.url);
    const upstream = httpRequest(
      {
        host: target.hostname,
        port: Number(target.port) || 80,
        method: req.method,
        path: req.url,
        headers: { ...req.headers, ...backend.headers },
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.on('error', () => res.destroy()).pipe(res);
      },
    );
    upstream.on('error', (error) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ detail: `the backend is unreachable: ${error.message}` }));
    });
    req.on('error', () => upstream.destroy());
    req.pipe(upstream);
  }

  // WebSocket: replay the upgrade request to the backend and splice the two sockets together.
  server.on('upgrade', (req: IncomingMessage, client: Socket, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://edge').pathname;
    const backend = climbsOut(path) ? undefined : backends[behaviourFor(options, path).origin];
    if (!backend) return client.destroy();
    if (refuseWebSockets) return client.end('HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    const target = new URL(backend.url);
    const upstream = connect(Number(target.port) || 80, target.hostname, () => {
      const lines = [`${req.method} ${req.url} HTTP/1.1`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      for (const [name, value] of Object.entries(backend.headers ?? {})) lines.push(`${name}: ${value}`);
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

  await new Promise<void>((done, fail) => {
    server.once('error', fail);
    server.listen(port, host, done);
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host}:${address.port}`,
    setWebSocketOutage(outage) {
      refuseWebSockets = outage;
      if (outage) for (const socket of webSockets) socket.destroy();
    },
    close: () =>
      new Promise<void>((done) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => done());
      }),
  };
}
