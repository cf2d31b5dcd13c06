import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ConfigurationError } from '@notebook-ship/action-kit';

export const API_BASE_VARIABLE = 'VITE_API_BASE_URL';

export interface BuiltText {
  path: string;
  text: string;
}

/** An absolute URL that must not be in a same-origin build, and where it came from. */
export interface KnownApiUrl {
  url: string;
  source: string;
}

// The files Vite reads for a production build, lowest precedence first. Their values only lose to the process
// environment, which is why a same-origin build may still carry one if the build command unsets the variable.
const DOTENV_FILES = ['.env', '.env.local', '.env.production', '.env.production.local'];

export async function readDotenvApiUrls(workingDirectory: string): Promise<KnownApiUrl[]> {
  const found: KnownApiUrl[] = [];
  for (const name of DOTENV_FILES) {
    const text = await readFile(join(workingDirectory, name), 'utf8').catch(() => '');
    for (const line of text.split(/\r?\n/)) {
      const match = /^\s*(?:export\s+)?VITE_API_BASE_URL\s*=\s*(['"]?)(.*?)\1\s*(?:#.*)?$/.exec(line);
      const url = match?.[2]?.trim();
      if (url && /^https?:\/\//i.test(url)) found.push({ url, source: `${API_BASE_VARIABLE} in ${name}` });
    }
  }
  return found;
}

// A development API: loopback with an explicit port (bare `http://localhost` is a common URL-parsing base in
// libraries, so it proves nothing).
const LOOPBACK_API = /https?:\/\/(?:localhost|127\.\d{1,3}\.\d{1,3}\.\d{1,3}|0\.0\.0\.0|\[::1\]):\d+/;

const trimSlash = (url: string) => url.replace(/\/+$/, '');

/**
 * Proves the build honoured `api-base-url`: a requested URL must be inlined somewhere; a same-origin build must not
 * hold a URL the project is known to use for its API (its .env files, earlier releases) nor a loopback dev API.
 * Returns the paths that contain the requested URL.
 */
export function checkApiBaseUrl(texts: readonly BuiltText[], requested: string, known: readonly KnownApiUrl[]): string[] {
  if (requested) {
    const needle = trimSlash(requested);
    const foundIn = texts.filter((file) => file.text.includes(needle)).map((file) => file.path);
    if (foundIn.length === 0) {
      throw new ConfigurationError(
        `The build does not contain api-base-url "${requested}" in any of its ${texts.length} JavaScript/HTML files. ` +
          `The app must read import.meta.env.${API_BASE_VARIABLE} (this action sets it for the build), and the build ` +
          `command must not override it; with "build-command" empty, the existing build was made with another URL.`,
      );
    }
    return foundIn;
  }
  const candidates = [...new Map(known.map((item) => [trimSlash(item.url), item])).entries()];
  for (const file of texts) {
    for (const [needle, item] of candidates) {
      if (file.text.includes(needle)) throw sameOriginViolation(item.url, item.source, file.path);
    }
    const loopback = LOOPBACK_API.exec(file.text);
    if (loopback) throw sameOriginViolation(loopback[0], 'a development address', file.path);
  }
  return [];
}

function sameOriginViolation(url: string, source: string, path: string): ConfigurationError {
  return new ConfigurationError(
    `api-base-url is empty (the API is served from the site's own origin), but ${path} calls ${url} (${source}). ` +
      `Make the app fall back to relative URLs when import.meta.env.${API_BASE_VARIABLE} is empty, and keep the build ` +
      `command from setting it; or set "api-base-url" if the API really lives elsewhere.`,
  );
}
