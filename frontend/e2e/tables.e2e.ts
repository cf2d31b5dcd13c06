// Interactive tables in Chromium: a 10,000-row DataFrame pages to its last row, sorts descending by a clicked column
// and filters as you type, all answered by the kernel over the whole frame.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const FRAME = `import pandas as pd
frame = pd.DataFrame({'n': range(10_000), 'word': ['even' if i % 2 == 0 else 'odd' for i in range(10_000)]})
frame`;

describe('tables in the browser', () => {
  test('a 10,000-row frame goes to its last page, sorts descending and filters', async () => {
    const { id } = await seedNotebook(stack.backend, 'Tables e2e', [FRAME]);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await page.getByRole('button', { name: 'Run all' }).click();

    const table = cell(page, 1).locator('figure.table-output');
    const status = table.locator('.pager [aria-live]');
    const firstRow = () => table.locator('tbody tr').first().textContent();
    await expect.poll(() => status.textContent(), { timeout: 60_000 }).toBe('rows 1–50 of 10,000');

    await table.getByRole('button', { name: 'Last page' }).click();
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('rows 9,951–10,000 of 10,000');
    expect(await table.locator('tbody tr').last().textContent()).toBe('99999999odd');

    const header = table.getByRole('columnheader', { name: /^n/ });
    await header.getByRole('button').click();
    await header.getByRole('button').press('Enter');
    await expect.poll(() => header.getAttribute('aria-sort')).toBe('descending');
    await expect.poll(firstRow, { timeout: 20_000 }).toBe('99999999odd');
    expect(await status.textContent()).toBe('rows 1–50 of 10,000');

    await table.getByRole('searchbox', { name: 'Filter rows' }).fill('EVEN');
    await expect.poll(() => status.textContent(), { timeout: 20_000 }).toBe('rows 1–50 of 5,000');
    expect(await firstRow()).toBe('99989998even');
    await table.getByRole('button', { name: 'Next page' }).click();
    await expect.poll(firstRow, { timeout: 20_000 }).toBe('98989898even');
  });
});
