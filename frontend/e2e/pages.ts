// Page helpers shared by the browser tests.
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { expect, onTestFailed } from 'vitest';
import { artifactsDir } from './harness';

/** A page in a fresh browser context (its own localStorage); on failure a screenshot lands in test-results/. */
export async function newPage(browser: Browser): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  page.on('pageerror', (error) => console.error(`page error: ${error.message}`));
  onTestFailed(async ({ task }) => {
    if (!page.isClosed()) {
      await page.screenshot({ path: join(artifactsDir, `failed-${task.name.replace(/\W+/g, '-')}.png`), fullPage: true });
    }
  });
  return page;
}

export const cell = (page: Page, number: number) => page.getByRole('article', { name: `Cell [${number}]`, exact: true });

export const waitLive = (page: Page) =>
  expect.poll(() => page.locator('.connection').getAttribute('data-status'), { timeout: 20_000 }).toBe('open');

/** Opens the cell's editor (Monaco), replaces its code and runs it with Shift+Enter. */
export async function typeAndRun(page: Page, number: number, code: string) {
  await typeCode(page, number, code);
  await page.keyboard.press('Shift+Enter');
}

export async function typeCode(page: Page, number: number, code: string) {
  const target = cell(page, number);
  await target.waitFor();
  // A new cell opens its editor by itself; another one opens on a click.
  if (!(await target.getAttribute('class'))?.includes('cell-active')) await target.locator('.code-preview').click();
  // Monaco takes input through an EditContext element in Chromium: a click focuses whatever it uses.
  const editor = target.locator('.monaco-editor .view-lines');
  await editor.waitFor();
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(code);
}
