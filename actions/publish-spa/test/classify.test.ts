import { describe, expect, it } from '@jest/globals';
import { headersFor, IMMUTABLE, isContentHashed, kindOf, REVALIDATE } from '../src/classify';

describe('isContentHashed', () => {
  it.each([
    'assets/index-BxYz1234.js',
    'assets/index-D-fK_3lX.js',
    'assets/vendor-react-CkYWRbwU.js',
    'assets/index-BxYz1234.js.map',
    'assets/Inter-Regular-8W-104-A.woff2',
    'static/assets/main.3f2a1b4c.js',
    'assets/main.0123456789abcdef0123.js',
  ])('recognises the bundler hash in %s', (path) => {
    expect(isContentHashed(path)).toBe(true);
  });

  it.each([
    'favicon.svg',
    'index-BxYz1234.js', // hashed shape, but outside assets/: a public/ file that may change in place
    'assets/manifest-settings.js',
    'assets/og-image-1200x630.png',
    'assets/app.settings.js',
    'assets/logo.svg',
    'assets/index-abcdefgh.js', // a hash without digits or mixed case is indistinguishable from a word
  ])('treats %s as a file that changes in place', (path) => {
    expect(isContentHashed(path)).toBe(false);
  });
});

describe('kindOf', () => {
  it('puts the root index.html apart from other pages, and pages apart from assets', () => {
    expect(kindOf('index.html')).toBe('index');
    expect(kindOf('docs/index.html')).toBe('page');
    expect(kindOf('404.html')).toBe('page');
    expect(kindOf('assets/index-BxYz1234.js')).toBe('asset');
    expect(kindOf('robots.txt')).toBe('file');
  });
});

describe('headersFor', () => {
  it.each([
    ['assets/index-BxYz1234.js', 'text/javascript; charset=utf-8'],
    ['assets/worker-BxYz1234.mjs', 'text/javascript; charset=utf-8'],
    ['assets/index-BxYz1234.css', 'text/css; charset=utf-8'],
    ['assets/logo-BxYz1234.svg', 'image/svg+xml'],
    ['assets/inter-BxYz1234.woff2', 'font/woff2'],
    ['assets/hero-BxYz1234.webp', 'image/webp'],
    ['assets/engine-BxYz1234.wasm', 'application/wasm'],
    ['assets/data-BxYz1234.json', 'application/json; charset=utf-8'],
    ['manifest.webmanifest', 'application/manifest+json; charset=utf-8'],
    ['assets/index-BxYz1234.js.map', 'application/json; charset=utf-8'],
    ['index.html', 'text/html; charset=utf-8'],
    ['LICENSE', 'application/octet-stream'],
  ])('serves %s as %s', (path, type) => {
    expect(headersFor(path).contentType).toBe(type);
  });

  it('caches hashed assets forever and makes everything else revalidate', () => {
    expect(headersFor('assets/index-BxYz1234.js').cacheControl).toBe('public, max-age=31536000, immutable');
    expect(IMMUTABLE).toBe('public, max-age=31536000, immutable');
    for (const path of ['index.html', 'favicon.svg', 'manifest.webmanifest', 'assets/page-BxYz1234.html']) {
      expect(headersFor(path).cacheControl).toBe(REVALIDATE);
    }
    expect(REVALIDATE).toBe('no-cache');
  });
});
