import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Amendment, Route } from './routes';

// One loopback endpoint in front of the emulators: the operations moto lacks are answered by `routes`, each
// service listed in `upstreams` goes to its own emulator (ECS to the scripted fake), and everything else goes to
// `fallback` (moto) byte for byte, except the answers `amendments` repair. Which service a request is for is read
// from its SigV4 credential scope, as AWS itself would know it from the host name.

export interface Gateway {
  endpoint: string;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  routes: Route[];
  amendments?: Amendment[];
  upstreams?: Record<string, string>;
  fallback: string;
}

/** The service of a signed request: the fourth part of `Credential=AKID/date/region/service/aws4_request`. */
export function signingService(request: IncomingMessage, url: URL): string | undefined {
  const credential =
    /Credential=([^,\s]+)/.exec(String(request.headers.authorization ?? ''))?.[1] ?? url.searchParams.get('X-Amz-Credential');
  return credential?.split('/')[3];
}

async function readAll(stream: AsyncIterable<unknown>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export async function startGateway({ routes, amendments = [], upstreams = {}, fallback }: GatewayOptions): Promise<Gateway> {
  const server = createServer((request, response) => {
    handle(request, response).catch((error: unknown) => {
      if (!response.headersSent) response.writeHead(500, { 'content-type': 'text/plain' });
      response.end(`local AWS gateway: ${String(error)}`);
    });
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', 'http://gateway');
    const service = signingService(request, url);
    const method = request.method ?? 'GET';
    for (const route of routes) {
      const applies = route.service === service && route.method === method && (!route.query || url.searchParams.has(route.query));
      const match = applies ? route.path.exec(url.pathname) : null;
      if (!match) continue;
      const served = route.handle({
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: await readAll(request),
        params: match.slice(1).map((param) => decodeURIComponent(param)),
      });
      response.writeHead(served.status, served.headers);
      response.end(served.body);
      return;
    }
    const upstream = (service && upstreams[service]) || fallback;
    const amending = amendments.filter((amendment) => amendment.service === service);
    if (amending.length === 0) {
      forward(request, response, upstream);
      return;
    }
    // A Query-protocol action is named in the form body (POST) or the query string.
    const body = await readAll(request);
    const parameters = new URLSearchParams(method === 'POST' ? body.toString('utf8') : url.search);
    const amendment = amending.find((candidate) => candidate.actions.includes(parameters.get('Action') ?? ''));
    forward(request, response, upstream, body, amendment && ((answer) => amendment.amend(parameters, answer)));
  }

  function forward(request: IncomingMessage, response: ServerResponse, upstream: string, body?: Buffer, amend?: (answer: string) => string): void {
    const outgoing = httpRequest(`${upstream}${request.url ?? '/'}`, { method: request.method, headers: request.headers }, (answer) => {
      if (!amend || answer.statusCode !== 200) {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
        return;
      }
      readAll(answer).then(
        (text) => {
          const amended = Buffer.from(amend(text.toString('utf8')));
          const headers = { ...answer.headers, 'content-length': String(amended.length) };
          delete headers['transfer-encoding'];
          response.writeHead(200, headers);
          response.end(amended);
        },
        (error: Error) => response.destroy(error),
      );
    });
    outgoing.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`local AWS gateway: ${upstream} did not answer: ${error.message}`);
    });
    if (body) outgoing.end(body);
    else request.pipe(outgoing);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    stop: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}
