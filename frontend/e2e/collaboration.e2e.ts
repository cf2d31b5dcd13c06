// Two browsers on one notebook, and a browser whose WebSocket drops and comes back.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, typeAndRun, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

describe('live collaboration', () => {
  test("changes from another browser appear live: cells, code, results, the name", async () => {
    const { id } = await seedNotebook(stack.backend, 'Shared e2e', ['base = 5']);
    const alice = await newPage(stack.browser);
    const bob = await newPage(stack.browser);
    for (const page of [alice, bob]) {
      await page.goto(`${stack.app.url}/notebooks/${id}`);
      await waitLive(page);
    }

    await alice.locator('.cell-slot').nth(0).getByRole('button', { name: '+ Python' }).click();
    await typeAndRun(alice, 2, 'total = base * 3\nprint("total is", total)');
    await expect.poll(() => cell(bob, 2).locator('.code-preview').textContent(), { timeout: 20_000 }).toBe(
      'total = base * 3\nprint("total is", total)',
    );
    await expect.poll(() => cell(bob, 2).locator('.console').textContent(), { timeout: 30_000 }).toBe('total is 15\n');
    expect(await cell(bob, 2).locator('.dependencies').textContent()).toContain('reads from [1]');

    await typeAndRun(bob, 1, 'base = 7');
    await expect.poll(() => cell(alice, 2).locator('.console').textContent(), { timeout: 30_000 }).toBe('total is 21\n');
    await expect.poll(() => cell(alice, 1).locator('.code-preview').textContent()).toBe('base = 7');

    await bob.getByRole('button', { name: 'Shared e2e' }).click();
    await bob.getByLabel('Notebook name').fill('Renamed by Bob');
    await bob.keyboard.press('Enter');
    await alice.getByRole('heading', { name: 'Renamed by Bob' }).waitFor();

    await alice.close();
    await bob.close();
  });

  test('reconnects after the WebSocket drops, re-syncs what it missed, and runs again', async () => {
    const { id, cellIds } = await seedNotebook(stack.backend, 'Flaky network e2e', ['n = 1']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);

    stack.app.setWebSocketOutage(true);
    await expect.poll(() => page.locator('.connection').getAttribute('data-status')).toBe('reconnecting');
    expect(await page.locator('.connection').textContent()).toMatch(/Reconnecting/);
    // Made while this browser's socket is down: it must still show up.
    await stack.backend.request('POST', `/api/notebooks/${id}/cells`, { type: 'python', code: 'm = n + 41\nm', after_cell_id: cellIds[0] });
    stack.app.setWebSocketOutage(false);
    await waitLive(page);
    await expect.poll(() => cell(page, 2).locator('.code-preview').textContent()).toBe('m = n + 41\nm');

    await cell(page, 2).getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => cell(page, 2).locator('.text-output').textContent(), { timeout: 30_000 }).toBe('42');
    await page.close();
  });
});
