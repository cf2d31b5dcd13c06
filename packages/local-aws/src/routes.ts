import type { IncomingHttpHeaders } from 'node:http';

// What the gateway hands an operation it serves itself, and what it sends back.

export interface LocalRequest {
  method: string;
  path: string;
  query: URLSearchParams;
  headers: IncomingHttpHeaders;
  body: Buffer;
  /** The path pattern's capture groups, URI-decoded. */
  params: string[];
}

export interface LocalResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Buffer;
}

/** One operation of one service (the service as named in the SigV4 credential scope). */
export interface Route {
  service: string;
  method: string;
  path: RegExp;
  handle(request: LocalRequest): LocalResponse;
}
