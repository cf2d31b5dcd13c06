// Runs the CloudFront Function's real code (cloudfront-js-2.0 defines a global `handler`) on viewer requests.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { terraformDir } from './config';

interface Request {
  method: string;
  uri: string;
  querystring: Record<string, { value: string }>;
  headers: Record<string, { value: string }>;
}

const code = readFileSync(join(terraformDir, 'functions', 'spa_fallback.js'), 'utf8');
type Response = { statusCode: number; statusDescription?: string };
const handler = new Function(`${code}\nreturn handler;`)() as (event: { request: Request }) => Request | Response;

function viewerRequest(uri: string): Request | Response {
  return handler({
    request: { method: 'GET', uri, querystring: { v: { value: '1' } }, headers: { host: { value: 'd.cloudfront.net' } } },
  });
}

describe('spa_fallback CloudFront Function', () => {
  it.each(['/', '/notebooks', '/notebooks/42', '/notebooks/42/', '/settings/tokens'])(
    'serves index.html for the client-side route %s',
    (uri) => {
      expect(viewerRequest(uri)).toHaveProperty('uri', '/index.html');
    },
  );

  it.each(['/index.html', '/assets/index-3f9a1c.js', '/assets/index-3f9a1c.css', '/favicon.svg', '/manifest.webmanifest'])(
    'leaves the file %s alone, so a missing asset stays an error',
    (uri) => {
      expect(viewerRequest(uri)).toHaveProperty('uri', uri);
    },
  );

  it.each([
    '/_releases/0123456789abcdef0123456789abcdef01234567.json',
    '/_releases/',
    '/_releases',
    '/%5Freleases/0123.json',
    '/%5f%72eleases/0123.json',
    '/_releases/../index.html',
  ])('answers 404 for the release record path %s, which is not the site', (uri) => {
    expect(viewerRequest(uri)).toEqual({ statusCode: 404, statusDescription: 'Not Found' });
  });

  it('answers 404 for a path that cannot be decoded, which S3 would refuse anyway', () => {
    expect(viewerRequest('/%E0%A4%A')).toEqual({ statusCode: 404, statusDescription: 'Not Found' });
  });

  it.each(['/releases/1', '/notebooks/_releases', '/assets/_releases.js'])('still serves %s, which only looks alike', (uri) => {
    expect(viewerRequest(uri)).toHaveProperty('uri');
  });

  it('keeps the rest of the request (query string, headers, method)', () => {
    expect(viewerRequest('/notebooks/42')).toEqual({
      method: 'GET',
      uri: '/index.html',
      querystring: { v: { value: '1' } },
      headers: { host: { value: 'd.cloudfront.net' } },
    });
  });

  it('uses only what the cloudfront-js-2.0 runtime offers (no modules, no exports)', () => {
    expect(code).toMatch(/^function handler\(event\) \{/m);
    expect(code).not.toMatch(/\b(require|import|export|module\.exports)\b/);
  });
});
