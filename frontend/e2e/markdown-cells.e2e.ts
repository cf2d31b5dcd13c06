// Markdown cells in Chromium: added from the "+ Markdown" button, written in Monaco, shown rendered and sanitized
// once the editor loses focus, kept by the server, and left alone by "Run all".
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { artifactsDir, seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('markdown cells in the browser', () => {
  test('a new markdown cell renders its heading and drops the handler of an injected image', async () => {
    const { id } = await seedNotebook(stack.backend, 'Markdown e2e', ['answer = 41 + 1\nanswer']);
    const page = await newPage(stack.browser);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);

    await page.getByRole('button', { name: '+ Markdown' }).last().click();
    const markdown = cell(page, 2);
    await markdown.waitFor();
    expect(await markdown.locator('.cell-type').textContent()).toBe('Markdown');
    // A new cell opens its editor by itself: Monaco, with the markdown tokenizer.
    const editor = markdown.locator('.monaco-editor .view-lines');
    await editor.waitFor();
    await expect.poll(() => markdown.locator('[data-mode-id]').first().getAttribute('data-mode-id')).toBe('markdown');
    await editor.click();
    await page.keyboard.type('# Title');
    await page.keyboard.press('Enter');
    await page.keyboard.press('Enter');
    await page.keyboard.insertText('<img src=x onerror=alert(1)>');

    // Click away: the editor closes and the text shows rendered.
    await markdown.locator('.cell-label').click();
    const rendered = markdown.locator('.markdown-cell .markdown-output');
    await rendered.waitFor({ timeout: 20_000 });
    expect(await markdown.locator('.monaco-editor').count()).toBe(0);
    expect(await rendered.locator('h1').textContent()).toBe('Title');
    const image = rendered.locator('img');
    expect(await image.count()).toBe(1);
    expect(await markdown.locator('[onerror]').count()).toBe(0);
    // The image failed to load (src=x), and nothing ran for it.
    await expect.poll(() => image.evaluate((element: HTMLImageElement) => element.complete)).toBe(true);
    expect(dialogs).toEqual([]);

    // The server kept it, and Run all runs the Python cell only.
    await expect.poll(async () => (await stack.backend.request<{ cells: { type: string; code: string }[] }>('GET', `/api/notebooks/${id}`)).cells[1]).toEqual(
      expect.objectContaining({ type: 'markdown', code: '# Title\n\n<img src=x onerror=alert(1)>' }),
    );
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => cell(page, 1).getAttribute('data-status'), { timeout: 60_000 }).toBe('success');
    expect(await markdown.getAttribute('data-status')).toBe('idle');
    expect(await markdown.getByTestId('cell-status').count()).toBe(0);
    await page.screenshot({ path: join(artifactsDir, 'markdown-cells.png'), fullPage: true });

    // After a reload the text is still there, rendered; a click opens the editor again.
    await page.reload();
    await waitLive(page);
    expect(await cell(page, 2).locator('.markdown-output h1').textContent()).toBe('Title');
    await cell(page, 2).locator('.markdown-cell').click();
    await cell(page, 2).locator('.monaco-editor .view-lines').waitFor();
    expect(dialogs).toEqual([]);
    await page.close();
  });
});
