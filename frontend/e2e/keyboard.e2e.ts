// The keyboard model of Jupyter and marimo in Chromium: Shift+Enter runs and advances (a new cell after the last),
// Ctrl/Cmd+Enter runs in place, Esc selects the cell (command mode) where a/b/dd/z/j/k/arrows and ? act.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SHORTCUTS } from '../src/features/notebooks/model/shortcuts';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, typeCode, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** The cell selected in command mode (or whose editor has the focus). */
const focusedCell = (page: Page) =>
  page.evaluate(() => document.activeElement?.closest('article.cell')?.getAttribute('data-cell-id') ?? null);

const codes = async (id: string) =>
  (await stack.backend.request<{ cells: { code: string }[] }>('GET', `/api/notebooks/${id}`)).cells.map((item) => item.code);

describe('keyboard', () => {
  test('Ctrl+Enter stays, Shift+Enter advances and adds a cell after the last, Esc selects and j/k/arrows move', async () => {
    const { id, cellIds } = await seedNotebook(stack.backend, 'Keys', ['a = 1', 'b = a + 1']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);

    await typeCode(page, 1, 'a = 5');
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => cell(page, 1).getAttribute('data-status'), { timeout: 30_000 }).toBe('success');
    expect(await cell(page, 1).locator('.monaco-editor').count()).toBe(1);

    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => focusedCell(page)).toBe(cellIds[1]);
    await expect.poll(() => page.locator('.monaco-editor').count()).toBe(0);

    // Shift+Enter on the last cell, from command mode: it runs, and a new cell opens its editor after it.
    await page.keyboard.press('Shift+Enter');
    await expect.poll(() => cell(page, 2).getAttribute('data-status'), { timeout: 30_000 }).toBe('success');
    await cell(page, 3).locator('.monaco-editor').waitFor();
    expect(await codes(id)).toEqual(['a = 5', 'b = a + 1', '']);

    await page.keyboard.press('Escape');
    await expect.poll(() => page.locator('.monaco-editor').count()).toBe(0);
    const third = await cell(page, 3).getAttribute('data-cell-id');
    expect(await focusedCell(page)).toBe(third);
    await page.keyboard.press('k');
    expect(await focusedCell(page)).toBe(cellIds[1]);
    await page.keyboard.press('ArrowUp');
    expect(await focusedCell(page)).toBe(cellIds[0]);
    await page.keyboard.press('j');
    await page.keyboard.press('ArrowDown');
    expect(await focusedCell(page)).toBe(third);
    await page.keyboard.press('Enter');
    await cell(page, 3).locator('.monaco-editor').waitFor();
    await page.close();
  });

  test('a and b insert cells, dd deletes one and z or the Undo button brings it back in place', async () => {
    const { id, cellIds } = await seedNotebook(stack.backend, 'Insert and delete', ['first = 1', 'second = 2']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);

    await cell(page, 2).locator('.cell-label').click();
    expect(await focusedCell(page)).toBe(cellIds[1]);
    // As in Jupyter, the new cell is selected in command mode; Enter opens its editor.
    await page.keyboard.press('a');
    await expect.poll(() => codes(id)).toEqual(['first = 1', '', 'second = 2']);
    const inserted = await cell(page, 2).getAttribute('data-cell-id');
    await expect.poll(() => focusedCell(page)).toBe(inserted);
    expect(await page.locator('.monaco-editor').count()).toBe(0);
    await page.keyboard.press('Enter');
    await cell(page, 2).locator('.monaco-editor').waitFor();
    await page.keyboard.type('middle = 3');
    await page.keyboard.press('Escape');
    await page.keyboard.press('b');
    await expect.poll(() => codes(id)).toEqual(['first = 1', 'middle = 3', '', 'second = 2']);
    await expect.poll(async () => focusedCell(page)).toBe(await cell(page, 3).getAttribute('data-cell-id'));
    expect(await page.locator('.monaco-editor').count()).toBe(0);

    await cell(page, 1).locator('.cell-label').click();
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => codes(id)).toEqual(['middle = 3', '', 'second = 2']);
    const toast = page.getByRole('status').filter({ hasText: 'Cell deleted' });
    await toast.waitFor();
    await page.keyboard.press('z');
    await expect.poll(() => codes(id)).toEqual(['first = 1', 'middle = 3', '', 'second = 2']);
    await expect.poll(() => toast.count()).toBe(0);

    await page.keyboard.press('Escape');
    await cell(page, 2).locator('.cell-label').click();
    await page.keyboard.press('d');
    await page.keyboard.press('d');
    await expect.poll(() => codes(id)).toEqual(['first = 1', '', 'second = 2']);
    await toast.getByRole('button', { name: 'Undo' }).click();
    await expect.poll(() => codes(id)).toEqual(['first = 1', 'middle = 3', '', 'second = 2']);
    await page.close();
  });

  test('? opens a dialog listing every shortcut, and Esc closes it', async () => {
    const { id } = await seedNotebook(stack.backend, 'Help', ['x = 1']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await cell(page, 1).locator('.cell-label').click();
    await page.keyboard.press('?');
    const sheet = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await sheet.waitFor();
    expect(await sheet.locator('tbody tr').count()).toBe(SHORTCUTS.length);
    expect(await sheet.textContent()).toContain('Ctrl/⌘+Enter');
    await page.keyboard.press('Escape');
    await expect.poll(() => sheet.count()).toBe(0);
    // And from the link under the cells.
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).click();
    await sheet.waitFor();
    await sheet.getByRole('button', { name: 'Close' }).click();
    await expect.poll(() => sheet.count()).toBe(0);
    await page.close();
  });
});
