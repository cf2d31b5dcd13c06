import { contentType } from 'mime-types';

export const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Browsers and CloudFront revalidate (a cheap 304 by ETag) before each use, so a publish shows at once. */
export const REVALIDATE = 'no-cache';

// Vite writes its content-hashed output as `assets/<name>-<hash>.<ext>` (Rollup's 8-character base64url hash, which
// may itself hold `-` or `_`); webpack-style builds use `<name>.<hex hash>.<ext>`; source maps add `.map`. Files
// copied from `public/` keep their names and live outside `assets/` unless the project put them there, so both the
// folder and the shape must match. A hash must hold a digit or both letter cases, which keeps names like
// `manifest-settings.js` or `og-1200x630.png` out; a hash that looks like a word is treated as mutable (safe).
const ROLLUP_HASH = /^.+[-.]([A-Za-z0-9_-]{8})(?:\.[A-Za-z0-9]+)+$/;
const HEX_HASH = /^.+[-.]([0-9a-f]{8,32})(?:\.[A-Za-z0-9]+)+$/;

export function isContentHashed(path: string): boolean {
  const segments = path.split('/');
  if (!segments.slice(0, -1).includes('assets')) return false;
  const name = segments[segments.length - 1] as string;
  const hash = ROLLUP_HASH.exec(name)?.[1] ?? HEX_HASH.exec(name)?.[1];
  if (!hash || /^\d+x\d+$/.test(hash)) return false;
  return /\d/.test(hash) || (/[a-z]/.test(hash) && /[A-Z]/.test(hash));
}

/**
 * What a file is to a publish, in upload order: content-hashed assets first (nothing loads them yet), then other
 * files, then pages, and the root index.html last, once everything it can load is in place.
 */
export type FileKind = 'asset' | 'file' | 'page' | 'index';
export const UPLOAD_ORDER: readonly FileKind[] = ['asset', 'file', 'page', 'index'];

export function kindOf(path: string): FileKind {
  if (path === 'index.html') return 'index';
  if (/\.html?$/i.test(path)) return 'page';
  return isContentHashed(path) ? 'asset' : 'file';
}

export interface ObjectHeaders {
  contentType: string;
  cacheControl: string;
}

export function headersFor(path: string): ObjectHeaders {
  return {
    contentType: contentType(path.split('/').pop() as string) || 'application/octet-stream',
    cacheControl: kindOf(path) === 'asset' ? IMMUTABLE : REVALIDATE,
  };
}
