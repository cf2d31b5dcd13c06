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
  /** A query parameter the request must carry (S3 names sub-resources so: `?policy`). */
  query?: string;
  handle(request: LocalRequest): LocalResponse;
}

/**
 * Repairs what an emulator answers to some actions of a Query-protocol service (EC2): it sees the request's
 * parameters and the emulator's answer, and returns the answer to send.
 */
export interface Amendment {
  service: string;
  actions: string[];
  amend(parameters: URLSearchParams, answer: string): string;
}
