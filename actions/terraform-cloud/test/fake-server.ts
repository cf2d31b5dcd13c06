import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  at: number;
}

export interface Reply {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
}

export type Handler = (request: RecordedRequest, url: URL) => Reply | Promise<Reply>;

/** A scripted HTTP server on a free loopback port that records every request it answers. */
export class FakeServer {
  readonly requests: RecordedRequest[] = [];
  private server?: Server;
  url = '';

  constructor(private readonly handler: Handler) {}

  async start(): Promise<this> {
    this.server = createServer((request, response) => void this.answer(request, response));
    await new Promise<void>((resolve) => this.server?.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
    return this;
  }

  async stop(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  private async answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const recorded: RecordedRequest = {
      method: request.method ?? 'GET',
      path: request.url ?? '/',
      headers: request.headers,
      body: Buffer.concat(chunks),
      at: Date.now(),
    };
    this.requests.push(recorded);
    let reply: Reply;
    try {
      reply = await this.handler(recorded, new URL(recorded.path, this.url));
    } catch (error) {
      reply = { status: 500, body: { errors: [{ status: '500', title: String(error) }] } };
    }
    const raw = Buffer.isBuffer(reply.body) || typeof reply.body === 'string';
    const body = reply.body === undefined ? '' : raw ? reply.body : JSON.stringify(reply.body);
    response.writeHead(reply.status, { 'Content-Type': 'application/json', ...reply.headers });
    response.end(body);
  }
}
