import { describe, expect, it } from '@jest/globals';
import { judgeBundleUrls, judgeFrontend } from '../src/frontend';
import { NoAnswer } from '../src/http';
import type { AssetKind } from '../src/page';
import type { LoadedAsset, Site } from '../src/site';
import { answer } from './answers';

const BASE = 'https://d111.cloudfront.net/';

function asset(path: string, kind: AssetKind, problem?: string, text = ''): LoadedAsset {
  return { ref: { url: new URL(path, BASE), kind }, status: problem ? 404 : 200, contentType: '', bytes: 1_500_000, problem, text };
}

function site(overrides: Partial<Site> = {}): Site {
  return {
    pageUrl: new URL(BASE),
    page: answer(BASE, 200, 'text/html', '<!doctype html>', { 'cache-control': 'no-cache' }),
    deepLink: answer(`${BASE}__smoke-test/client-route`, 200, 'text/html', '<!doctype html>'),
    assets: [asset('/assets/index-1.js', 'script'), asset('/assets/index-1.css', 'style'), asset('/assets/font.ttf', 'other')],
    ...overrides,
  };
}

describe('judgeFrontend', () => {
  it('describes a page that works', () => {
    expect(judgeFrontend(site())).toBe(
      'index.html (Cache-Control: no-cache) and its 3 files (1 scripts, 4.5 MB) load; client-side routes serve the app',
    );
  });

  it('fails on the page itself first', () => {
    expect(() => judgeFrontend(site({ page: answer(BASE, 403, 'application/xml', '<Error><Code>AccessDenied</Code></Error>') }))).toThrow(
      `${BASE} returned HTTP 403 (<Error><Code>AccessDenied</Code></Error>): is the front end published to the bucket, and is CloudFront's default root object index.html?`,
    );
    expect(() => judgeFrontend(site({ page: answer(BASE, 200, 'application/json', '{}') }))).toThrow(`${BASE} returned application/json, not an HTML page.`);
  });

  it('lists every problem at once: broken files, a cached index.html, no SPA fallback', () => {
    const broken = site({
      page: answer(BASE, 200, 'text/html', '<!doctype html>', { 'cache-control': 'max-age=86400' }),
      deepLink: answer(`${BASE}__smoke-test/client-route`, 404, 'application/xml'),
      assets: [
        asset('/assets/index-1.js', 'script'),
        ...Array.from({ length: 6 }, (_, index) => asset(`/assets/chunk-${index}.js`, 'script', 'HTTP 404')),
      ],
    });
    expect(() => judgeFrontend(broken)).toThrow(
      '6 of 7 files the page loads are broken: /assets/chunk-0.js (HTTP 404); /assets/chunk-1.js (HTTP 404); ' +
        '/assets/chunk-2.js (HTTP 404); /assets/chunk-3.js (HTTP 404); /assets/chunk-4.js (HTTP 404) and 1 more. ' +
        'Was the build published completely (assets before index.html)? index.html is served with Cache-Control ' +
        '"max-age=86400": browsers may keep an old page whose assets a deploy replaced. Serve it with "no-cache" ' +
        '(publish-spa does). a client-side route (/__smoke-test/client-route) did not serve the app (HTTP 404 ' +
        'application/xml): reloads and shared links would break',
    );
  });

  it('says when the page loads no script, or the route does not answer', () => {
    const bare = site({ assets: [], deepLink: new NoAnswer('GET https://d111.cloudfront.net/__smoke-test/client-route: no answer within 15s') });
    expect(() => judgeFrontend(bare)).toThrow(/references no script: is it the built front end \(vite build\), not the source index\.html\?/);
    expect(() => judgeFrontend(bare)).toThrow(/did not serve the app \(GET .*: no answer within 15s\)/);
  });
});

describe('judgeBundleUrls', () => {
  const hosts = ['d111.cloudfront.net'];
  it('scans the page and its scripts when the page is https', () => {
    const clean = site({ assets: [asset('/assets/index-1.js', 'script', undefined, 'fetch(`/api/notebooks`)')] });
    expect(judgeBundleUrls(clean, hosts)).toBe('no insecure URL in 1 scripts');
    const baked = site({
      page: answer(BASE, 200, 'text/html', '<script>window.api="http://d111.cloudfront.net"</script>'),
      assets: [asset('/assets/index-1.js', 'script', undefined, 'new WebSocket("ws://10.0.0.5:8000/api/ws")')],
    });
    expect(() => judgeBundleUrls(baked, hosts)).toThrow(
      'The front end has insecure URLs baked in: http://d111.cloudfront.net in /, ws://10.0.0.5:8000 in /assets/index-1.js. ' +
        'An https page cannot call them (mixed content)',
    );
  });

  it('says why it did not scan', () => {
    expect(judgeBundleUrls(site({ pageUrl: new URL('http://127.0.0.1:4173/') }), hosts)).toBe('bundle not scanned for insecure URLs (url is not https)');
    expect(judgeBundleUrls(site({ assets: [asset('/assets/index-1.js', 'script', 'HTTP 404')] }), hosts)).toBe(
      'bundle not scanned for insecure URLs (no script loaded: see the frontend check)',
    );
  });
});
