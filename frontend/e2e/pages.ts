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

/** Opens the cell's editor (Monaco), replaces its code, runs it with Shift+Enter and waits for the advance to land. */
export async function typeAndRun(page: Page, number: number, code: string) {
  await typeCode(page, number, code);
  const last = (await page.locator('article.cell').count()) === number;
  await page.keyboard.press('Shift+Enter');
  // Shift+Enter moves on to the next cell, or opens a new one after the last: the next step starts from that page.
  const next = cell(page, number + 1);
  if (last) await next.locator('.monaco-editor').waitFor();
  else await expect.poll(() => next.evaluate((element) => element.contains(document.activeElement))).toBe(true);
}

export async function typeCode(page: Page, number: number, code: string) {
  const target = cell(page, number);
  const editor = target.locator('.monaco-editor .view-lines');
  const preview = target.locator('.code-preview');
  // A new cell opens its editor by itself, possibly a render after it appears; another one opens on a click.
  await expect
    .poll(
      async () => {
        if (await editor.isVisible()) return true;
        await preview.click({ timeout: 1_000 }).catch(() => undefined);
        return editor.isVisible();
      },
      { timeout: 30_000 },
    )
    .toBe(true);
  // Monaco takes input through an EditContext element in Chromium: a click focuses whatever it uses.
  await editor.click();
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.type(code);
}
