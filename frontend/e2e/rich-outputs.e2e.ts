// Rich outputs in Chromium: a value's HTML runs in a sandboxed iframe that cannot reach the app's token, storage or
// DOM, and sizes itself to its content; markdown, SVG and JSON render without live script.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { artifactsDir, seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, waitLive } from './pages';

const TOKEN = 'rich-outputs-e2e-token-0123456789';
const TOKEN_KEY = 'notebook-ship.access-token';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ token: TOKEN });
});
afterAll(() => stack?.stop());

// The script tries every way to the app's secrets and writes what happened into its own page.
const PROBE = `
const results = [];
const attempt = (name, read) => {
  try { results.push(name + ': read ' + String(read())); } catch (error) { results.push(name + ': blocked ' + error.name); }
};
attempt('parent localStorage', () => parent.localStorage.getItem('${TOKEN_KEY}'));
attempt('own localStorage', () => localStorage.getItem('${TOKEN_KEY}'));
attempt('parent document', () => parent.document.title);
attempt('cookie', () => document.cookie);
document.getElementById('probe').textContent = results.join(' | ');
`;

const HTML_CELL = `class Probe:
    def _repr_html_(self):
        return """<h3 id="title">From the kernel</h3><div style="height: 600px; background: #eef">tall</div>
<pre id="probe">not run</pre><script>${PROBE}</script>"""
Probe()`;

describe('rich outputs in the browser', () => {
  test('HTML runs in a sandboxed iframe sized to its content, without access to the token or the page', async () => {
    const { id } = await seedNotebook(stack.backend, 'Rich e2e', [
      HTML_CELL,
      "class Md:\n    def _repr_markdown_(self):\n        return '# Heading\\n\\n*em* <img src=x onerror=\"window.pwned = 1\">'\nMd()",
      "class Pic:\n    def _repr_svg_(self):\n        return '<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"40\" height=\"30\"><script>window.pwned = 2</script><rect width=\"40\" height=\"30\" fill=\"red\"/></svg>'\nPic()",
      "class Data:\n    def _repr_json_(self):\n        return {'a': [1, 2]}\nData()",
    ]);
    const page = await newPage(stack.browser);
    await page.goto(stack.app.url);
    await page.evaluate(({ key, token }) => localStorage.setItem(key, token), { key: TOKEN_KEY, token: TOKEN });
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await page.getByRole('button', { name: 'Run all' }).click();

    const frame = cell(page, 1).locator('iframe.html-output');
    await frame.waitFor({ timeout: 60_000 });
    expect(await frame.getAttribute('sandbox')).toBe('allow-scripts');
    const inside = page.frameLocator('iframe.html-output');
    await expect.poll(() => inside.locator('#title').textContent(), { timeout: 30_000 }).toBe('From the kernel');
    await expect.poll(() => inside.locator('#probe').textContent()).not.toBe('not run');
    const probe = (await inside.locator('#probe').textContent()) ?? '';
    expect(probe).toContain('parent localStorage: blocked SecurityError');
    expect(probe).toContain('own localStorage: blocked SecurityError');
    expect(probe).toContain('parent document: blocked SecurityError');
    expect(probe).toContain('cookie: blocked SecurityError');
    expect(probe).not.toContain(TOKEN);

    // From the parent's side the frame is another origin: no document, and its window's contents throw.
    const fromParent = await frame.evaluate((element: HTMLIFrameElement) => {
      let windowAccess = 'allowed';
      try {
        void element.contentWindow?.document.body;
      } catch (error) {
        windowAccess = (error as Error).name;
      }
      return { document: element.contentDocument, windowAccess, token: localStorage.getItem('notebook-ship.access-token') };
    });
    expect(fromParent).toEqual({ document: null, windowAccess: 'SecurityError', token: TOKEN });

    // The frame reported its height over postMessage: it grew from 150px to hold the 600px block.
    await expect.poll(async () => (await frame.boundingBox())?.height ?? 0, { timeout: 20_000 }).toBeGreaterThan(650);

    const markdown = cell(page, 2).locator('.markdown-output');
    await markdown.waitFor({ timeout: 30_000 });
    expect(await markdown.locator('h1').textContent()).toBe('Heading');
    expect(await markdown.locator('em').textContent()).toBe('em');
    expect(await markdown.locator('[onerror]').count()).toBe(0);

    const svg = cell(page, 3).getByRole('img', { name: 'SVG image' });
    await svg.waitFor({ timeout: 30_000 });
    expect(await svg.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth === 40)).toBe(true);
    await expect.poll(() => cell(page, 4).locator('.json-output pre').textContent()).toBe('{\n  "a": [\n    1,\n    2\n  ]\n}');
    expect(await page.evaluate(() => (window as { pwned?: number }).pwned)).toBeUndefined();

    await page.screenshot({ path: join(artifactsDir, 'rich-outputs.png'), fullPage: true });
    await page.close();
  });
});
