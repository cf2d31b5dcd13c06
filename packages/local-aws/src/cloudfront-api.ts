import { randomBytes, randomUUID } from 'node:crypto';
import type { LocalRequest, LocalResponse, Route } from './routes';
import { xmlDocument, type XmlObject } from './xml';

// The CloudFront API's REST-XML conventions (API version 2020-05-31), shared by the operations served here.

export const CLOUDFRONT_NAMESPACE = 'http://cloudfront.amazonaws.com/doc/2020-05-31/';
export const CLOUDFRONT_PATH = '/2020-05-31';

export class CloudFrontError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** CloudFront's version identifiers look like `ETVPDKIKX0DER`: an E and upper-case letters and digits. */
export function newETag(): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `E${[...randomBytes(12)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

export function xmlResponse(status: number, root: string, value: XmlObject, headers: Record<string, string> = {}): LocalResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amz-request-id': randomUUID(), ...headers },
    body: xmlDocument(root, CLOUDFRONT_NAMESPACE, value),
  };
}

export function errorResponse(error: CloudFrontError): LocalResponse {
  const type = error.status >= 500 ? 'Receiver' : 'Sender';
  return xmlResponse(error.status, 'ErrorResponse', {
    Error: { Type: type, Code: error.code, Message: error.message },
    RequestId: randomUUID(),
  });
}

/** MaxItems and Marker of a List operation, applied to everything it could return (Marker: where the page starts). */
export function page<T>(all: readonly T[], query: URLSearchParams): { items: T[]; maxItems: number; nextMarker?: string } {
  const maxItems = Number(query.get('MaxItems') ?? 100);
  const start = Number(query.get('Marker') ?? 0);
  const end = start + maxItems;
  return { items: all.slice(start, end), maxItems, ...(end < all.length ? { nextMarker: String(end) } : {}) };
}

/** A CloudFront operation at `path` under the API version; its CloudFrontErrors become error responses. */
export function cloudFrontRoute(method: string, path: string, handle: (request: LocalRequest) => LocalResponse): Route {
  return {
    service: 'cloudfront',
    method,
    path: new RegExp(`^${CLOUDFRONT_PATH}${path}$`),
    handle(request) {
      try {
        return handle(request);
      } catch (error) {
        if (error instanceof CloudFrontError) return errorResponse(error);
        throw error;
      }
    },
  };
}
