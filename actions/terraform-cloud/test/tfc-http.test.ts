import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import type { Clock } from '@notebook-ship/action-kit';
import { TfcApiError, TfcHttp } from '../src/tfc-http';
import { FakeServer, type Reply } from './fake-server';

// The HTTP layer against a scripted server, with a clock that records waits instead of sleeping.

let replies: Reply[] = [];
const server = new FakeServer(() => replies.shift() ?? { status: 200, body: { data: { id: 'ok' } } });
let waits: number[];
let log: string[];
let time = 0;
const clock: Clock = {
  now: () => time,
  sleep: async (ms) => {
    waits.push(ms);
    time += ms;
  },
};

beforeAll(() => server.start());
afterAll(() => server.stop());
beforeEach(() => {
  server.requests.length = 0;
  waits = [];
  log = [];
  replies = [];
});

const http = () => new TfcHttp({ origin: server.url, token: 'secret-token', clock, log: (message) => log.push(message) });

describe('TfcHttp', () => {
  it('sends the bearer token and JSON:API headers', async () => {
    const { status, body } = await http().json('POST', '/runs', { body: { data: { type: 'runs' } } });
    expect({ status, body }).toEqual({ status: 200, body: { data: { id: 'ok' } } });
    const request = server.requests[0];
    expect(request?.path).toBe('/api/v2/runs');
    expect(request?.headers).toMatchObject({
      authorization: 'Bearer secret-token',
      'content-type': 'application/vnd.api+json',
      accept: 'application/vnd.api+json',
    });
  });

  it('waits X-RateLimit-Reset after a 429 without Retry-After', async () => {
    replies = [{ status: 429, headers: { 'X-RateLimit-Reset': '0.25' }, body: { errors: [{ title: 'Too many requests' }] } }];
    await http().json('GET', '/runs/run-1');
    expect(waits).toEqual([250]);
    expect(log).toEqual(['Rate limited by HCP Terraform on GET /runs/run-1: waiting 250ms (X-RateLimit-Reset).']);
    expect(server.requests).toHaveLength(2);
  });

  it('pauses before the next request when an answer used up the window', async () => {
    replies = [{ status: 200, headers: { 'X-RateLimit-Remaining': '0', 'X-RateLimit-Reset': '0.4' }, body: {} }];
    const client = http();
    await client.json('GET', '/runs/run-1');
    await client.json('GET', '/runs/run-1');
    expect(waits).toEqual([400]);
  });

  it('gives up on a request that stays rate-limited', async () => {
    replies = Array.from({ length: 3 }, () => ({ status: 429, headers: { 'Retry-After': '1' }, body: { errors: [{ title: 'Too many requests' }] } }));
    const client = new TfcHttp({ origin: server.url, token: 't', clock, maxRateLimitRetries: 2 });
    await expect(client.json('GET', '/runs/run-1')).rejects.toThrow('HCP Terraform kept rate-limiting GET /runs/run-1; giving up: Too many requests');
    expect(waits).toEqual([1_000, 1_000]);
  });

  it('retries a GET after a 5xx, but never repeats a POST', async () => {
    replies = [{ status: 502, body: 'bad gateway' }];
    await http().json('GET', '/runs/run-1');
    expect(server.requests).toHaveLength(2);

    replies = [{ status: 500, body: { errors: [{ title: 'internal', detail: 'try later' }] } }];
    const error = await http().json('POST', '/runs/run-1/actions/apply', { body: {} }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(TfcApiError);
    expect((error as Error).message).toBe('HCP Terraform answered 500 to POST /runs/run-1/actions/apply: internal: try later');
    expect(server.requests).toHaveLength(3);
  });

  it('explains a rejected token, and leaves allowed statuses to the caller', async () => {
    replies = [{ status: 401, body: { errors: [{ title: 'unauthorized' }] } }];
    await expect(http().json('GET', '/runs/run-1')).rejects.toThrow(
      'HCP Terraform rejected the token (401 on GET /runs/run-1). Set the "token" input or TF_API_TOKEN to a valid user or team API token',
    );
    replies = [{ status: 503, body: { errors: [{ title: 'processing' }] } }];
    expect((await http().json('GET', '/workspaces/ws-1/current-state-version-outputs', { allow: [503] })).status).toBe(503);
    expect(server.requests).toHaveLength(2);
  });

  it('never sends the token to a pre-signed URL, and refuses plain http beyond loopback', async () => {
    await http().unauthenticated('PUT', `${server.url}/archivist/upload`, Buffer.from('archive'));
    expect(server.requests[0]?.headers.authorization).toBeUndefined();
    expect(server.requests[0]?.headers['content-type']).toBe('application/octet-stream');
    expect(server.requests[0]?.body.toString()).toBe('archive');
    await expect(http().unauthenticated('GET', 'http://archivist.example.com/v1/object/secret')).rejects.toThrow(
      'HCP Terraform handed out a non-https URL (http://archivist.example.com/…); refusing to use it.',
    );
  });
});
