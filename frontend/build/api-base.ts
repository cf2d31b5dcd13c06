// Build-time check of VITE_API_BASE_URL: the value is baked into the bundle, so a wrong one must fail the build,
// not the user's browser. Empty means same origin (the CloudFront deployment, and the dev server's proxy).

/** The escape hatch for a local backend over plain http; never set it for a deployed build. */
export const ALLOW_INSECURE_FLAG = 'ALLOW_INSECURE_API_URL';

export class ApiBaseUrlError extends Error {
  override name = 'ApiBaseUrlError';
}

/** Returns the normalised base URL ('' or an origin with an optional path, no trailing slash), or throws. */
export function checkApiBaseUrl(raw: string | undefined, allowInsecure: boolean): string {
  const value = (raw ?? '').trim();
  if (value === '') return '';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ApiBaseUrlError(
      `VITE_API_BASE_URL=${JSON.stringify(value)} is not an absolute URL. Leave it empty to call the API on the ` +
        'same origin as the page, or set it to an https:// origin such as https://api.example.com.',
    );
  }
  if (url.protocol === 'http:' && !allowInsecure) {
    throw new ApiBaseUrlError(
      `VITE_API_BASE_URL=${value} uses http://: a page served over https cannot call it (mixed content) and the ` +
        `access token would travel in clear. Use https://, leave it empty for same origin, or set ` +
        `${ALLOW_INSECURE_FLAG}=true for a local development build only.`,
    );
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new ApiBaseUrlError(
      `VITE_API_BASE_URL=${value} must start with https:// (the WebSocket URL is derived from it: wss://).`,
    );
  }
  if (url.username || url.password || url.search || url.hash) {
    throw new ApiBaseUrlError(
      `VITE_API_BASE_URL=${value} must be an origin with an optional path: no credentials, query or fragment.`,
    );
  }
  return `${url.origin}${url.pathname}`.replace(/\/+$/, '');
}

export function isTruthy(value: string | undefined): boolean {
  return ['1', 'true', 'yes'].includes((value ?? '').trim().toLowerCase());
}
