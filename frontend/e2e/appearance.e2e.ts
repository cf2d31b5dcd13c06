// How the page looks in Chromium: highlighted closed cells, the dark theme (the system's or the header's choice,
// Monaco included), and a console free of warnings on load.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const background = (page: import('playwright-core').Page) => page.evaluate(() => getComputedStyle(document.documentElement).backgroundColor);

describe('appearance', () => {
  test('loading the list, a notebook and the kernels page prints no warning or error', async () => {
    const { id } = await seedNotebook(stack.backend, 'Quiet console', ['1 + 1']);
    const page = await newPage(stack.browser);
    const messages: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'warning' || message.type() === 'error') messages.push(`${message.type()}: ${message.text()}`);
    });
    await page.goto(stack.app.url);
    await page.getByRole('link', { name: 'Quiet console' }).waitFor();
    // Opened directly, as a shared link or a reload does: the notebook's chunk loads during the first render.
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await page.goto(`${stack.app.url}/kernels`);
    await page.getByRole('heading').first().waitFor();
    expect(messages).toEqual([]);
    await page.close();
  });

  test('closed cells show highlighted Python and SQL', async () => {
    const { id } = await seedNotebook(stack.backend, 'Highlighted', ['import math\nlabel = "radius"  # metres']);
    await stack.backend.request('POST', `/api/notebooks/${id}/cells`, { type: 'sql', code: 'SELECT 1 AS one' });
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    const python = cell(page, 1).locator('.code-preview');
    await python.locator('.hljs-keyword').first().waitFor();
    expect(await python.locator('.hljs-keyword').first().textContent()).toBe('import');
    expect(await python.locator('.hljs-string').textContent()).toBe('"radius"');
    expect(await python.locator('.hljs-comment').textContent()).toBe('# metres');
    expect(await python.textContent()).toBe('import math\nlabel = "radius"  # metres');
    const keywordColor = await python.locator('.hljs-keyword').first().evaluate((element) => getComputedStyle(element).color);
    expect(keywordColor).not.toBe(await python.evaluate((element) => getComputedStyle(element).color));
    expect(await cell(page, 2).locator('.code-preview .hljs-keyword').first().textContent()).toBe('SELECT');
    await page.close();
  });

  test('follows a dark system setting, and the header choice overrides it and is remembered', async () => {
    const { id } = await seedNotebook(stack.backend, 'Dark', ['x = 1']);
    const page = await newPage(stack.browser);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    const root = page.locator('html');
    expect(await root.getAttribute('data-theme')).toBe('dark');
    expect(await background(page)).toBe('rgb(20, 23, 29)');
    // The editor is dark too.
    await cell(page, 1).locator('.code-preview').click();
    await cell(page, 1).locator('.monaco-editor').waitFor();
    expect(await cell(page, 1).locator('.monaco-editor').getAttribute('class')).toContain('vs-dark');

    const theme = page.getByRole('radiogroup', { name: 'Theme' });
    await theme.getByRole('radio', { name: 'Light' }).click();
    expect(await root.getAttribute('data-theme')).toBe('light');
    expect(await background(page)).toBe('rgb(246, 247, 249)');
    await expect.poll(async () => (await cell(page, 1).locator('.monaco-editor').getAttribute('class')) ?? '').not.toContain('vs-dark');

    await page.reload();
    await waitLive(page);
    expect(await root.getAttribute('data-theme')).toBe('light');
    expect(await theme.getByRole('radio', { name: 'Light' }).getAttribute('aria-checked')).toBe('true');

    await theme.getByRole('radio', { name: 'System' }).click();
    expect(await root.getAttribute('data-theme')).toBe('dark');
    await page.close();
  });

  test('a Plotly figure takes the dark page background and switches back with the theme', async () => {
    const { id } = await seedNotebook(stack.backend, 'Dark chart', ['import plotly.express as px\npx.bar(x=["a", "b"], y=[1, 2])']);
    const page = await newPage(stack.browser);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await page.getByRole('button', { name: 'Run all' }).click();
    const paper = cell(page, 1).locator('.plotly-chart svg.main-svg').first();
    await paper.waitFor({ timeout: 60_000 });
    const paperColor = () => paper.evaluate((element) => getComputedStyle(element).backgroundColor);
    expect(await paperColor()).toBe('rgba(0, 0, 0, 0)');
    await page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: 'Light' }).click();
    await expect.poll(paperColor).toBe('rgb(255, 255, 255)');
    await page.close();
  });

  test('the System choice follows the browser setting as it changes', async () => {
    const page = await newPage(stack.browser);
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto(stack.app.url);
    const root = page.locator('html');
    await page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: 'System' }).click();
    expect(await root.getAttribute('data-theme')).toBe('light');
    await page.emulateMedia({ colorScheme: 'dark' });
    await expect.poll(() => root.getAttribute('data-theme')).toBe('dark');
    await page.close();
  });
});
