// Where the API lives, derived from the build-time base URL and the page's own location. The scheme of a same-origin
// URL follows the page, and a page served over https never gets an http:// or ws:// URL (browsers block mixed content).

export interface PageLocation {
  protocol: string; // 'https:' | 'http:'
  host: string; // host[:port]
}

/** The origin (plus optional path prefix) that REST paths such as /api/notebooks are appended to. */
export function httpBase(apiBaseUrl: string, page: PageLocation): string {
  const secure = page.protocol === 'https:';
  if (!apiBaseUrl) return `${secure ? 'https' : 'http'}://${page.host}`;
  const url = new URL(apiBaseUrl);
  if (secure && url.protocol === 'http:') url.protocol = 'https:';
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

/** The WebSocket URL of an API path: ws(s) mirrors the http(s) of httpBase. */
export function webSocketUrl(apiBaseUrl: string, page: PageLocation, path: string): string {
  return httpBase(apiBaseUrl, page).replace(/^http/, 'ws') + path;
}
