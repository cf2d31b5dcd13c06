import { createServer, request as httpRequest, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Route } from './routes';

// One loopback endpoint in front of the emulators: the operations moto lacks are answered by `routes`, each
// service listed in `upstreams` goes to its own emulator (ECS to the scripted fake), and everything else goes to
// `fallback` (moto) byte for byte. Which service a request is for is read from its SigV4 credential scope, as AWS
// itself would know it from the host name.

export interface Gateway {
  endpoint: string;
  stop(): Promise<void>;
}

export interface GatewayOptions {
  routes: Route[];
  upstreams?: Record<string, string>;
  fallback: string;
}

/** The service of a signed request: the fourth part of `Credential=AKID/date/region/service/aws4_request`. */
export function signingService(request: IncomingMessage, url: URL): string | undefined {
  const credential =
    /Credential=([^,\s]+)/.exec(String(request.headers.authorization ?? ''))?.[1] ?? url.searchParams.get('X-Amz-Credential');
  return credential?.split('/')[3];
}

export async function startGateway({ routes, upstreams = {}, fallback }: GatewayOptions): Promise<Gateway> {
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
      const match = route.service === service && route.method === method ? route.path.exec(url.pathname) : null;
      if (!match) continue;
      const chunks: Buffer[] = [];
      for await (const chunk of request) chunks.push(chunk as Buffer);
      const served = route.handle({
        method,
        path: url.pathname,
        query: url.searchParams,
        headers: request.headers,
        body: Buffer.concat(chunks),
        params: match.slice(1).map((param) => decodeURIComponent(param)),
      });
      response.writeHead(served.status, served.headers);
      response.end(served.body);
      return;
    }
    forward(request, response, (service && upstreams[service]) || fallback);
  }

  function forward(request: IncomingMessage, response: ServerResponse, upstream: string): void {
    const outgoing = httpRequest(`${upstream}${request.url ?? '/'}`, { method: request.method, headers: request.headers }, (answer) => {
      response.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(response);
    });
    outgoing.on('error', (error) => {
      if (!response.headersSent) response.writeHead(502, { 'content-type': 'text/plain' });
      response.end(`local AWS gateway: ${upstream} did not answer: ${error.message}`);
    });
    request.pipe(outgoing);
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
