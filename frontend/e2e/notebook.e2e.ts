// The notebook in Chromium against the real backend and the production build.
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { artifactsDir, seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, typeAndRun, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('a notebook in the browser', () => {
  test('reacts: x = 2 and y = x * 10, then editing x updates y', async () => {
    const page = await newPage(stack.browser);
    const requests: string[] = [];
    page.on('request', (request) => requests.push(request.url()));
    await page.goto(stack.app.url);
    await page.getByLabel('New notebook name').fill('Reactive e2e');
    await page.getByRole('button', { name: 'New notebook' }).click();
    await page.waitForURL(/\/notebooks\/[0-9a-f]+$/);
    await waitLive(page);

    await page.getByRole('button', { name: '+ Python' }).click();
    await typeAndRun(page, 1, 'x = 2');
    // Shift+Enter on the last cell opened a new one after it.
    await typeAndRun(page, 2, 'y = x * 10\ny');

    await expect.poll(() => cell(page, 2).locator('.text-output').textContent(), { timeout: 30_000 }).toBe('20');
    await expect.poll(() => cell(page, 2).locator('.dependencies').textContent()).toContain('reads from [1]');
    expect(await cell(page, 1).locator('.dependencies').textContent()).toContain('defines x');

    await typeAndRun(page, 1, 'x = 7');
    await expect.poll(() => cell(page, 2).locator('.text-output').textContent(), { timeout: 30_000 }).toBe('70');
    expect(await cell(page, 2).getAttribute('data-status')).toBe('success');
    await page.screenshot({ path: join(artifactsDir, 'reactive.png') });

    // The edit is saved: a reload shows the new code and the re-run result from the server.
    await page.reload();
    await expect.poll(() => cell(page, 1).locator('.code-preview').textContent()).toBe('x = 7');
    await expect.poll(() => cell(page, 2).locator('.text-output').textContent()).toBe('70');

    // Monaco came from this build: nothing was fetched from another origin.
    const foreign = requests.filter((url) => !url.startsWith(stack.app.url) && !url.startsWith('data:') && !url.startsWith('blob:'));
    expect(foreign).toEqual([]);
    await page.close();
  });

  test('renders a DataFrame table, a Plotly chart and a matplotlib figure, and saves a screenshot', async () => {
    const { id } = await seedNotebook(stack.backend, 'Outputs e2e', [
      'import pandas as pd\nframe = pd.DataFrame({"city": ["Oslo", "Lima", "Pune"], "people": [709_000, 10_000_000, 7_000_000]})\nframe',
      'import plotly.express as px\npx.bar(frame, x="city", y="people", title="People")',
      'print("rows:", len(frame))',
      'import matplotlib\nmatplotlib.use("Agg")\nimport matplotlib.pyplot as plt\nplt.plot([1, 3, 2])',
    ]);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await page.getByRole('button', { name: 'Run all' }).click();

    const table = cell(page, 1).locator('.table-output table');
    await table.waitFor({ timeout: 60_000 });
    expect(await table.locator('thead th').allTextContents()).toEqual(['', 'city', 'people']);
    expect(await table.locator('tbody tr').count()).toBe(3);
    expect(await table.locator('tbody tr').first().locator('td').allTextContents()).toEqual(['Oslo', '709000']);
    await cell(page, 2).locator('.plotly-chart .main-svg').first().waitFor({ timeout: 60_000 });
    expect(await cell(page, 2).locator('.plotly-chart .bars path').count()).toBe(3);
    await expect.poll(() => cell(page, 3).locator('.console').textContent()).toBe('rows: 3\n');
    const figure = cell(page, 4).getByRole('img', { name: 'Figure' });
    await figure.waitFor({ timeout: 60_000 });
    expect(await figure.evaluate((image: HTMLImageElement) => image.complete && image.naturalWidth > 100)).toBe(true);

    await page.screenshot({ path: join(artifactsDir, 'notebook.png'), fullPage: true });
    await page.close();
  });

  test('moves, deletes and adds SQL cells, interrupts a running cell, sets the database and renames', async () => {
    const { id } = await seedNotebook(stack.backend, 'Editing e2e', ['a = 1', 'b = a + 1', 'c = b + 1']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    const codes = () => page.locator('.cell .code-preview').allTextContents();

    await cell(page, 3).getByRole('button', { name: 'Move up' }).click();
    await expect.poll(codes).toEqual(['a = 1', 'c = b + 1', 'b = a + 1']);
    await cell(page, 2).getByRole('button', { name: 'Delete' }).click();
    await cell(page, 2).getByRole('button', { name: 'Delete cell' }).click();
    await expect.poll(codes).toEqual(['a = 1', 'b = a + 1']);

    await page.locator('.cell-slot').nth(0).getByRole('button', { name: '+ SQL' }).click();
    await cell(page, 2).locator('.monaco-editor').waitFor();
    expect(await cell(page, 2).locator('.cell-type').textContent()).toBe('SQL');
    expect(await cell(page, 2).locator('[data-mode-id]').getAttribute('data-mode-id')).toBe('pgsql');
    expect(await cell(page, 2).getByLabel('result in').inputValue()).toMatch(/^df_/);

    await typeAndRun(page, 1, 'import time\ntime.sleep(60)');
    await expect.poll(() => cell(page, 1).getAttribute('data-status'), { timeout: 20_000 }).toBe('running');
    await page.getByRole('button', { name: 'Interrupt' }).click();
    await expect.poll(() => cell(page, 1).getAttribute('data-status'), { timeout: 20_000 }).toBe('interrupted');
    expect(await cell(page, 1).locator('.error-output').textContent()).toContain('KeyboardInterrupt');

    await page.getByRole('button', { name: 'Database: not set' }).click();
    await page.getByLabel('PostgreSQL connection for the SQL cells (optional)').fill('postgresql://user:pw-9f3k2@127.0.0.1:1/db');
    await page.getByRole('button', { name: 'Save connection' }).click();
    await page.getByRole('button', { name: 'Database: set' }).waitFor();
    // Write-only: the form is closed and the page shows the password nowhere.
    expect(await page.content()).not.toContain('pw-9f3k2');

    await page.getByRole('button', { name: 'Editing e2e' }).click();
    await page.getByLabel('Notebook name').fill('Edited e2e');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Edited e2e' }).waitFor();
    const list = await stack.backend.request<{ notebooks: { id: string; name: string; cell_count: number }[] }>('GET', '/api/notebooks');
    expect(list.notebooks.find((notebook) => notebook.id === id)).toMatchObject({ name: 'Edited e2e', cell_count: 3 });
    await page.close();
  });
});
