// What the page costs: the JavaScript the notebook list loads, and a 500-cell notebook.
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from './harness';
import { cell, newPage, typeCode, waitLive } from './pages';

/** Issue 5: the initial JavaScript of the notebook list, gzipped. */
const INITIAL_JS_BUDGET = 250_000;
const CELLS = 500;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('performance', () => {
  test(`the notebook list loads at most ${INITIAL_JS_BUDGET / 1000} KB of gzipped JavaScript, without Monaco or Plotly`, async () => {
    const page = await newPage(stack.browser);
    const scripts = new Map<string, number>();
    page.on('response', async (response) => {
      if (response.url().endsWith('.js')) scripts.set(new URL(response.url()).pathname, gzipSync(await response.body()).length);
    });
    await page.goto(stack.app.url, { waitUntil: 'networkidle' });
    await page.getByRole('link', { name: 'Welcome: a reactive notebook' }).waitFor();
    const total = [...scripts.values()].reduce((sum, size) => sum + size, 0);
    console.log(`notebook list: ${scripts.size} scripts, ${(total / 1000).toFixed(1)} KB gzipped`);
    expect(scripts.size).toBeGreaterThan(0);
    expect(total).toBeLessThanOrEqual(INITIAL_JS_BUDGET);
    expect([...scripts.keys()].filter((path) => /monaco|plotly|editor\.worker/.test(path))).toEqual([]);
    await page.close();
  });

  test(`a ${CELLS}-cell notebook renders every cell with no editor until one is opened, and stays usable`, async () => {
    const { notebook_id: id } = await stack.backend.request<{ notebook_id: string }>('POST', '/api/notebooks', { name: 'Big e2e' });
    for (let index = 0; index < CELLS; index++) {
      await stack.backend.request('POST', `/api/notebooks/${id}/cells`, { type: 'python', code: `v${index} = ${index}` });
    }
    const page = await newPage(stack.browser);
    const loaded: string[] = [];
    page.on('request', (request) => loaded.push(request.url()));
    const started = Date.now();
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await expect.poll(() => page.locator('article.cell').count(), { timeout: 30_000 }).toBe(CELLS);
    console.log(`${CELLS}-cell notebook: every cell in the page ${Date.now() - started} ms after navigation`);
    await waitLive(page);
    expect(await page.locator('.monaco-editor').count()).toBe(0);
    expect(loaded.filter((url) => /monaco/.test(url))).toEqual([]);

    await cell(page, 400).scrollIntoViewIfNeeded();
    // Ctrl+Enter runs in place: the editor stays open.
    await typeCode(page, 400, 'v399 = 399 * 2\nv399');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => cell(page, 400).locator('.text-output').textContent(), { timeout: 30_000 }).toBe('798');
    await typeCode(page, 12, 'v11 = 11\nv11 + v399');
    // One editor at a time: opening another cell closed the first.
    expect(await page.locator('.monaco-editor').count()).toBe(1);
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => cell(page, 12).locator('.text-output').textContent(), { timeout: 30_000 }).toBe('809');
    expect(await cell(page, 400).locator('.code-preview').textContent()).toBe('v399 = 399 * 2\nv399');
    await page.close();
  });
});
