import { RELEASES_DIR } from './releases';

/** What happens to the build's source maps, which hold the app's original source code. */
export const SOURCE_MAP_MODES = ['publish', 'private', 'skip'] as const;
export type SourceMapMode = (typeof SOURCE_MAP_MODES)[number];

/**
 * Where `private` keeps them, under the prefix: inside the release records' folder, which is never part of the site
 * and which the distribution terraform/ creates answers with a 404 (its viewer-request function,
 * terraform/functions/spa_fallback.js), however the path is spelled. S3 readers with bucket access still get them.
 */
export const PRIVATE_MAPS_DIR = `${RELEASES_DIR}/source-maps`;

export function isSourceMap(path: string): boolean {
  return /\.map$/i.test(path);
}

/** The path (under the prefix) a built file is stored at; undefined when it is not uploaded at all. */
export function storedPath(builtPath: string, mode: SourceMapMode): string | undefined {
  if (mode === 'publish' || !isSourceMap(builtPath)) return builtPath;
  return mode === 'private' ? `${PRIVATE_MAPS_DIR}/${builtPath}` : undefined;
}

/** The inverse of storedPath: where in the build a stored file comes from. */
export function builtPathOf(path: string): string {
  return path.startsWith(`${PRIVATE_MAPS_DIR}/`) ? path.slice(PRIVATE_MAPS_DIR.length + 1) : path;
}

export function isPrivateMap(path: string): boolean {
  return path.startsWith(`${PRIVATE_MAPS_DIR}/`);
}

// The comment a bundler appends so that developer tools fetch the map: `//# sourceMappingURL=x.js.map` in scripts,
// `/*# sourceMappingURL=x.css.map */` in style sheets (`//@` is the older spelling). Only whole lines match, so a
// string in the code that merely contains the words is left alone.
const SCRIPT = /\.[cm]?js$/i;
const STYLE = /\.css$/i;
const SCRIPT_COMMENT = /^[ \t]*\/\/[#@][ \t]*sourceMappingURL=[^\r\n]*(?:\r?\n)?/gm;
const STYLE_COMMENT = /^[ \t]*\/\*[#@][ \t]*sourceMappingURL=[^\r\n]*?\*\/[ \t]*(?:\r?\n)?/gm;
const MARKER = Buffer.from('sourceMappingURL=');

/**
 * The bytes to publish for a built file: unless maps are published, scripts and style sheets lose the comment that
 * points at their map (an inline `data:` map, which would publish the sources, goes with it), so nothing public
 * names a map that is not served.
 */
export function publishedContent(builtPath: string, content: Buffer, mode: SourceMapMode): Buffer {
  if (mode === 'publish' || !content.includes(MARKER)) return content;
  const pattern = SCRIPT.test(builtPath) ? SCRIPT_COMMENT : STYLE.test(builtPath) ? STYLE_COMMENT : undefined;
  if (!pattern) return content;
  const text = content.toString('utf8');
  const stripped = text.replace(pattern, '');
  return stripped === text ? content : Buffer.from(stripped, 'utf8');
}
