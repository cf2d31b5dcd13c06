// A browser's part of the code flow over plain HTTP: cookies kept per origin and path, redirects followed by hand.
import { createHash, randomBytes } from 'node:crypto';
import { CookieJar } from 'tough-cookie';

export class Browser {
  private readonly jar = new CookieJar();

  async request(url: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    const cookie = await this.jar.getCookieString(url);
    if (cookie) headers.set('cookie', cookie);
    const response = await fetch(url, { ...init, headers, redirect: 'manual' });
    for (const setCookie of response.headers.getSetCookie()) await this.jar.setCookie(setCookie, url);
    return response;
  }

  /** Follows redirects from `url` until one leaves for `until` (returned, not fetched) or a page answers. */
  async follow(url: string, until: string, init: RequestInit = {}): Promise<{ url: string; response?: Response }> {
    let response = await this.request(url, init);
    let at = url;
    while (response.status >= 300 && response.status < 400) {
      at = new URL(response.headers.get('location') ?? '', at).href;
      if (at.startsWith(until)) return { url: at };
      response = await this.request(at);
    }
    return { url: at, response };
  }

  async postForm(url: string, fields: Record<string, string>, until: string) {
    return this.follow(url, until, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
  }
}

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/** The form's action and hidden fields, from a page this provider renders. */
export function formOf(html: string, pageUrl: string): { action: string; hidden: Record<string, string> } {
  const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
  if (!action) throw new Error(`no form in ${html}`);
  const hidden = Object.fromEntries(
    [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)"/g)].map((m) => [m[1], m[2]]),
  );
  return { action: new URL(action, pageUrl).href, hidden };
}
