// Completion, hover docs and signature help from the kernel in Chromium: suggestions know what cells defined, and
// Enter or Tab accepts one only once the user picked it.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, typeCode, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const suggestions = (page: Page) => page.locator('.suggest-widget.visible .monaco-list-row');

const codeOf = async (id: string, index: number) =>
  (await stack.backend.request<{ cells: { code: string }[] }>('GET', `/api/notebooks/${id}`)).cells[index]?.code;

async function openWithNamespace(page: Page, codes: string[]) {
  const { id } = await seedNotebook(stack.backend, 'Completion', codes);

  await page.goto(`${stack.app.url}/notebooks/${id}`);
  await waitLive(page);
  await cell(page, 1).locator('.code-preview').click();
  await cell(page, 1).locator('.monaco-editor').waitFor();
  await page.keyboard.press('Control+Enter');
  await expect.poll(() => cell(page, 1).getAttribute('data-status'), { timeout: 30_000 }).toBe('success');
  return id;
}

describe('completion', () => {
  test('suggests real attributes; Enter without a pick is a new line, a picked one is inserted', async () => {
    const page = await newPage(stack.browser);
    const id = await openWithNamespace(page, ['import math\nclass Box: pass\nbox = Box()\nbox.made_live = 1', '']);

    await typeCode(page, 2, 'box.ma');
    // Only the live object has this attribute: it comes from the kernel's namespace, not from the words typed.
    await expect.poll(() => suggestions(page).allInnerTexts(), { timeout: 15_000 }).toEqual([expect.stringContaining('made_live')]);
    await page.keyboard.press('Enter');
    await page.keyboard.type('math.fl');
    await expect.poll(() => suggestions(page).allInnerTexts(), { timeout: 15_000 }).toContainEqual(expect.stringContaining('floor'));
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    await expect.poll(() => codeOf(id, 1), { timeout: 10_000 }).toBe('box.ma\nmath.floor');

    // The report of the issue: word suggestions accepted on Enter turned this into `as graph_objects`.
    await typeCode(page, 2, 'import plotly.graph_objects as go');
    await page.keyboard.press('Enter');
    await page.keyboard.type('fig = go');
    await expect.poll(() => codeOf(id, 1), { timeout: 10_000 }).toBe('import plotly.graph_objects as go\nfig = go');
    await page.close();
  });

  test('running the cell closes the suggestions', async () => {
    const page = await newPage(stack.browser);
    await openWithNamespace(page, ['import math', '']);
    await typeCode(page, 2, 'math.fl');
    await suggestions(page).first().waitFor({ timeout: 15_000 });
    await page.keyboard.press('Control+Enter');
    await expect.poll(() => cell(page, 2).getAttribute('data-status'), { timeout: 30_000 }).toBe('error');
    expect(await suggestions(page).count()).toBe(0);
    await page.close();
  });

  test('a SQL cell completes the DataFrames in scope and their columns', async () => {
    const page = await newPage(stack.browser);
    const id = await openWithNamespace(page, ['import pandas as pd\nsales = pd.DataFrame({"region": ["n"], "amount": [1]})']);
    await stack.backend.request('POST', `/api/notebooks/${id}/cells`, { type: 'sql', code: '' });
    await cell(page, 2).waitFor();
    await typeCode(page, 2, 'SELECT * FROM sa');
    await expect.poll(() => suggestions(page).allInnerTexts(), { timeout: 15_000 }).toEqual([expect.stringContaining('sales')]);
    await page.keyboard.type('les WHERE sales.reg');
    await expect.poll(() => suggestions(page).allInnerTexts(), { timeout: 15_000 }).toEqual([expect.stringContaining('region')]);
    await page.close();
  });

  test('hover shows the docstring and an open call shows its signature', async () => {
    const page = await newPage(stack.browser);
    await openWithNamespace(page, ['import math', '']);
    await typeCode(page, 2, 'math.floor(');
    const hints = page.locator('.parameter-hints-widget');
    await expect.poll(() => hints.innerText(), { timeout: 15_000 }).toContain('floor(x');
    await page.keyboard.press('Escape');
    // Monaco renders `math.floor` as one span: hovering its end points at `floor`.
    const name = cell(page, 2).locator('.view-line span span', { hasText: 'math.floor' });
    const box = await name.boundingBox();
    await name.hover({ position: { x: (box?.width ?? 0) - 4, y: (box?.height ?? 0) / 2 } });
    await expect.poll(() => page.getByRole('tooltip').innerText(), { timeout: 15_000 }).toContain('largest integer');
    await page.close();
  });
});
