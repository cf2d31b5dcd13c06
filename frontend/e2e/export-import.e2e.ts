// Export and import in Chromium: "Export .ipynb" in the notebook header downloads a Jupyter notebook with the run's
// outputs, and "Import…" on the notebook list reads that file back into a new notebook with every cell.
import { readFile } from 'node:fs/promises';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

interface SourceCell {
  id: string;
  type: string;
  code: string;
  output_name: string | null;
}

describe('export and import in the browser', () => {
  test('an exported .ipynb downloads with its outputs and imports back with every cell', async () => {
    const { id } = await seedNotebook(stack.backend, 'Export e2e', ['import pandas as pd\nt = pd.DataFrame({"v": [1, 2, 3]})', 'answer = 6 * 7\nanswer']);
    await stack.backend.request('POST', `/api/notebooks/${id}/cells`, {
      type: 'sql',
      code: 'SELECT sum(v) AS total FROM t WHERE v > {answer} / 42',
      output_name: 'totals',
    });
    await stack.backend.request('POST', `/api/notebooks/${id}/cells`, { type: 'markdown', code: '# Notes\n*done*' });
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => cell(page, 3).getAttribute('data-status'), { timeout: 60_000 }).toBe('success');

    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export .ipynb' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe('Export e2e.ipynb');
    const path = await download.path();
    const text = await readFile(path, 'utf8');
    const document = JSON.parse(text) as {
      nbformat: number;
      cells: { cell_type: string; metadata: Record<string, unknown>; outputs?: { data?: Record<string, unknown> }[] }[];
    };
    expect(document.nbformat).toBe(4);
    expect(document.cells.map((item) => item.cell_type)).toEqual(['code', 'code', 'code', 'markdown']);
    expect(document.cells[1]?.outputs?.[0]?.data?.['text/plain']).toBe('42');
    expect(document.cells[2]?.metadata).toEqual({ notebook: { type: 'sql', output_name: 'totals' } });
    expect(document.cells[2]?.outputs?.[0]?.data?.['text/html']).toContain('<td>5');

    await page.goto(stack.app.url);
    const [chooser] = await Promise.all([page.waitForEvent('filechooser'), page.getByRole('button', { name: 'Import…' }).click()]);
    await chooser.setFiles({ name: 'Round trip.ipynb', mimeType: 'application/x-ipynb+json', buffer: Buffer.from(text) });
    await page.waitForURL((url) => /\/notebooks\/[0-9a-f]{32}$/.test(url.pathname) && !url.pathname.endsWith(id));
    const importedId = new URL(page.url()).pathname.split('/').at(-1) ?? '';
    await waitLive(page);
    await cell(page, 4).waitFor();
    expect(await page.getByRole('heading', { level: 1 }).first().textContent()).toBe('Round trip');

    const fields = ({ id: cellId, type, code, output_name }: SourceCell) => ({ id: cellId, type, code, output_name });
    const original = await stack.backend.request<{ cells: SourceCell[] }>('GET', `/api/notebooks/${id}`);
    const imported = await stack.backend.request<{ cells: SourceCell[] }>('GET', `/api/notebooks/${importedId}`);
    expect(imported.cells.map(fields)).toEqual(original.cells.map(fields));

    // The imported notebook runs like the original.
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => cell(page, 3).getAttribute('data-status'), { timeout: 60_000 }).toBe('success');
    await page.close();
  });
});
