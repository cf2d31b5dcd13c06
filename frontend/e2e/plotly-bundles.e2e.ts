// Plotly in two lazy bundles: the partial one for common figures, the full one only for a figure that needs it.
import { gzipSync } from 'node:zlib';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, typeAndRun, waitLive } from './pages';

/** Issue 22: the partial Plotly chunk, gzipped (the full one is about 1,400 KB). */
const PARTIAL_BUDGET = 500_000;
const PARTIAL = /\/plotly-cartesian\.min-[^/]*\.js$/;
const FULL = /\/plotly\.min-[^/]*\.js$/;

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

/** Opens a notebook of the given cells, runs them all and records the Plotly chunks fetched with their gzipped size. */
async function runNotebook(name: string, cells: string[]): Promise<{ page: Page; chunks: Map<string, number> }> {
  const { id } = await seedNotebook(stack.backend, name, cells);
  const page = await newPage(stack.browser);
  const chunks = new Map<string, number>();
  page.on('response', async (response) => {
    const path = new URL(response.url()).pathname;
    if (PARTIAL.test(path) || FULL.test(path)) chunks.set(path, gzipSync(await response.body()).length);
  });
  await page.goto(`${stack.app.url}/notebooks/${id}`);
  await waitLive(page);
  await page.getByRole('button', { name: 'Run all' }).click();
  return { page, chunks };
}

const kinds = (chunks: Map<string, number>) => [...chunks.keys()].map((path) => (PARTIAL.test(path) ? 'partial' : 'full'));

describe('Plotly bundles', () => {
  test(`a bar chart draws with only the partial chunk, at most ${PARTIAL_BUDGET / 1000} KB gzipped`, async () => {
    const { page, chunks } = await runNotebook('Partial Plotly e2e', [
      'import plotly.express as px\npx.bar(x=["Oslo", "Lima", "Pune"], y=[7, 10, 7], title="People")',
    ]);
    await cell(page, 1).locator('.plotly-chart .main-svg').first().waitFor({ timeout: 60_000 });
    expect(await cell(page, 1).locator('.plotly-chart .bars path').count()).toBe(3);
    expect(kinds(chunks)).toEqual(['partial']);
    const size = [...chunks.values()][0] ?? Infinity;
    console.log(`partial Plotly chunk: ${(size / 1000).toFixed(1)} KB gzipped`);
    expect(size).toBeLessThanOrEqual(PARTIAL_BUDGET);
    await page.close();
  });

  // Maps are left out: their outlines come from a CDN the test machine may not reach.
  test('a sankey diagram and a table figure still draw, through the full chunk', async () => {
    const { page, chunks } = await runNotebook('Full Plotly e2e', [
      'import plotly.graph_objects as go\ngo.Figure(go.Sankey(node={"label": ["a", "b", "c"]}, link={"source": [0, 0], "target": [1, 2], "value": [3, 4]}))',
      'go.Figure(go.Table(header={"values": ["city"]}, cells={"values": [["Oslo", "Lima"]]}))',
    ]);
    await cell(page, 1).locator('.plotly-chart .sankey .sankey-node').first().waitFor({ timeout: 60_000 });
    expect(await cell(page, 1).locator('.plotly-chart .sankey-node').count()).toBe(3);
    await cell(page, 2).locator('.plotly-chart .table').first().waitFor({ timeout: 60_000 });
    expect(await cell(page, 2).locator('.plotly-chart .table').textContent()).toContain('Lima');
    expect(kinds(chunks)).toEqual(['full']);
    expect(await page.locator('.plotly-output .problem').count()).toBe(0);
    await page.close();
  });

  test('a chart re-run with a trace type only the full bundle has is redrawn by it', async () => {
    const { page, chunks } = await runNotebook('Switching Plotly e2e', ['import plotly.express as px\npx.pie(names=["a", "b"], values=[1, 2])']);
    await cell(page, 1).locator('.plotly-chart .pielayer .slice').first().waitFor({ timeout: 60_000 });
    await typeAndRun(page, 1, 'import plotly.graph_objects as go\ngo.Figure(go.Funnelarea(labels=["a", "b"], values=[2, 1]))');
    await cell(page, 1).locator('.plotly-chart .funnelarealayer .slice').first().waitFor({ timeout: 60_000 });
    // Two slices: the pie was purged by the bundle that drew it before the funnel was drawn.
    expect(await cell(page, 1).locator('.plotly-chart .slice').count()).toBe(2);
    expect(kinds(chunks)).toEqual(['partial', 'full']);
    await page.close();
  });
});
