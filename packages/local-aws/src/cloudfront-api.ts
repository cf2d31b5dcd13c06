import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingHttpHeaders } from 'node:http';
import type { LocalRequest, LocalResponse, Route } from './routes';
import { parseXml, xmlDocument, type XmlElement, type XmlObject } from './xml';

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

/** CloudFront's identifiers look like `E2QWRUHAPOMQZL` (a distribution) or `I2J0I21PCUYOIK` (an invalidation). */
export function cloudFrontId(prefix: string, length = 13): string {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return `${prefix}${[...randomBytes(length)].map((byte) => alphabet[byte % alphabet.length]).join('')}`;
}

/** Version identifiers (ETags) have the distributions' form, e.g. `ETVPDKIKX0DER`. */
export const newETag = () => cloudFrontId('E', 12);

export function xmlResponse(status: number, root: string, value: XmlObject, headers: Record<string, string> = {}): LocalResponse {
  return {
    status,
    headers: { 'content-type': 'text/xml', 'x-amz-request-id': randomUUID(), ...headers },
    body: xmlDocument(root, CLOUDFRONT_NAMESPACE, value),
  };
}

/** Parses a request body whose root element must be `root`. */
export function requestDocument(body: Buffer, root: string): XmlElement {
  let document: XmlElement;
  try {
    document = parseXml(body.toString('utf8'));
  } catch (error) {
    throw new CloudFrontError(400, 'MalformedXML', String(error));
  }
  if (document.name !== root) throw new CloudFrontError(400, 'MalformedXML', `Expected a ${root} document.`);
  return document;
}

/** If-Match must name the resource's current version (ETag). */
export function checkIfMatch(headers: IncomingHttpHeaders, etag: string): void {
  const ifMatch = headers['if-match'];
  if (!ifMatch) throw new CloudFrontError(400, 'InvalidIfMatchVersion', 'The If-Match version is missing or not valid.');
  if (ifMatch !== etag) {
    throw new CloudFrontError(412, 'PreconditionFailed', 'The precondition given in one or more of the request fields evaluated to false.');
  }
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
