import { describe, expect, it } from '@jest/globals';
import { isUnchanged, planUploads, type RemoteObject } from '../src/plan';
import type { SiteFile } from '../src/site-files';

const md5 = (char: string) => char.repeat(32);
const file = (path: string, char: string, size = 10): SiteFile => ({ path, md5: md5(char), size });

const site: SiteFile[] = [
  file('assets/index-NewHash1.js', 'a'),
  file('assets/vendor-Stable12.js', 'b'),
  file('assets/index-Css12345.css', 'c'),
  file('favicon.svg', 'd'),
  file('robots.txt', 'e'),
  file('docs/index.html', 'f'),
  file('index.html', '1'),
];

describe('planUploads', () => {
  it('uploads everything, in phases, to an empty bucket', () => {
    const plan = planUploads(site, new Map(), '');
    expect(plan.skipped).toEqual([]);
    expect(plan.phases.map((phase) => phase.map((upload) => upload.path))).toEqual([
      ['assets/index-NewHash1.js', 'assets/vendor-Stable12.js', 'assets/index-Css12345.css'],
      ['favicon.svg', 'robots.txt'],
      ['docs/index.html'],
      ['index.html'],
    ]);
    expect(plan.uploads.map((upload) => upload.path).at(-1)).toBe('index.html');
  });

  it('skips what the bucket holds byte for byte and uploads what changed', () => {
    const remote = new Map<string, RemoteObject>([
      ['assets/vendor-Stable12.js', { etag: md5('b'), size: 10 }],
      ['assets/index-Css12345.css', { etag: md5('c'), size: 10 }],
      ['favicon.svg', { etag: md5('d'), size: 10 }],
      ['robots.txt', { etag: md5('0'), size: 10 }], // same name, other content
      ['docs/index.html', { etag: md5('f'), size: 10 }],
      ['index.html', { etag: md5('9'), size: 10 }],
    ]);
    const plan = planUploads(site, remote, '');
    expect(plan.uploads.map((upload) => upload.path)).toEqual(['assets/index-NewHash1.js', 'robots.txt', 'index.html']);
    expect(plan.skipped.map((skipped) => skipped.path)).toEqual([
      'assets/vendor-Stable12.js',
      'assets/index-Css12345.css',
      'favicon.svg',
      'docs/index.html',
    ]);
    expect(plan.phases).toHaveLength(3);
  });

  it('starts the largest files of a phase first', () => {
    const sized = [file('assets/a-Small123.js', 'a', 10), file('assets/b-Large123.js', 'b', 900), file('index.html', 'c', 5)];
    expect(planUploads(sized, new Map(), '').uploads.map((upload) => upload.path)).toEqual([
      'assets/b-Large123.js',
      'assets/a-Small123.js',
      'index.html',
    ]);
  });

  it('gives each upload its key under the prefix and its headers', () => {
    const plan = planUploads(site, new Map(), 'web/');
    const byPath = new Map(plan.uploads.map((upload) => [upload.path, upload]));
    expect(byPath.get('assets/index-NewHash1.js')).toMatchObject({
      key: 'web/assets/index-NewHash1.js',
      kind: 'asset',
      md5: md5('a'),
      contentType: 'text/javascript; charset=utf-8',
      cacheControl: 'public, max-age=31536000, immutable',
    });
    expect(byPath.get('index.html')).toMatchObject({
      key: 'web/index.html',
      kind: 'index',
      contentType: 'text/html; charset=utf-8',
      cacheControl: 'no-cache',
    });
    expect(byPath.get('robots.txt')).toMatchObject({ kind: 'file', cacheControl: 'no-cache' });
  });
});

describe('isUnchanged', () => {
  const multipart = { etag: `${md5('9')}-3`, size: 10 };

  it('trusts a hashed asset uploaded in parts by its name and size', () => {
    expect(isUnchanged(file('assets/big-Hash1234.wasm', 'a'), multipart)).toBe(true);
    expect(isUnchanged(file('assets/big-Hash1234.wasm', 'a', 11), multipart)).toBe(false);
  });

  it('re-uploads a hashed asset whose single-part ETag proves other content', () => {
    expect(isUnchanged(file('assets/big-Hash1234.wasm', 'a'), { etag: md5('9'), size: 10 })).toBe(false);
  });

  it('uploads a mutable file it cannot compare', () => {
    expect(isUnchanged(file('favicon.svg', 'a'), multipart)).toBe(false);
    expect(isUnchanged(file('favicon.svg', 'a'), undefined)).toBe(false);
  });
});
