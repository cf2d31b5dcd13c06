// Saves that survive the network and reloads, the connection told truthfully, and results that name cells the way
// the page does: [n] labels in tracebacks, "edited" kept apart from "stale", cut console output marked.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, typeCode, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(() => stack?.stop());

const serverCode = async (id: string, index: number) =>
  (await stack.backend.request<{ cells: { code: string }[] }>('GET', `/api/notebooks/${id}`)).cells[index]?.code;

describe('saves and connection state in the browser', () => {
  test('an edit made offline is saved once the connection is back, and the header says so meanwhile', async () => {
    const { id } = await seedNotebook(stack.backend, 'Offline edit e2e', ['x = 1']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    expect(await page.locator('.kernel-state').textContent()).not.toBe('Python: unknown while disconnected');

    // The editor's code is a lazy chunk: loaded while online.
    await cell(page, 1).locator('.code-preview').click();
    await cell(page, 1).locator('.monaco-editor .view-lines').waitFor();
    await page.context().setOffline(true);
    stack.app.setWebSocketOutage(true);
    await expect.poll(() => page.locator('.connection').getAttribute('data-status')).toBe('reconnecting');
    expect(await page.locator('.kernel-state').textContent()).toBe('Python: unknown while disconnected');
    await typeCode(page, 1, 'x = 2');
    await expect.poll(() => page.getByTestId('save-state').textContent(), { timeout: 10_000 }).toBe('Unsaved (offline)');
    expect(await serverCode(id, 0)).toBe('x = 1');

    await page.context().setOffline(false);
    stack.app.setWebSocketOutage(false);
    await waitLive(page);
    await expect.poll(() => serverCode(id, 0), { timeout: 20_000 }).toBe('x = 2');
    await expect.poll(() => page.getByTestId('save-state').textContent()).toBe('Saved');
    await page.close();
  });

  test('a reload with an unsaved edit asks first, keeps the edit and saves it', async () => {
    const { id } = await seedNotebook(stack.backend, 'Reload edit e2e', ['y = 1']);
    const page = await newPage(stack.browser);
    const dialogs: string[] = [];
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.type());
      void dialog.accept();
    });
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);

    // The server refuses to be reached for saves only: the socket stays up.
    await page.route('**/api/notebooks/*/cells/*', (route) =>
      route.request().method() === 'PUT' ? route.abort('connectionfailed') : route.continue(),
    );
    await typeCode(page, 1, 'y = 2');
    await expect.poll(() => page.evaluate((key) => localStorage.getItem(key), `notebook-drafts:${id}`)).toContain('y = 2');
    await page.reload({ waitUntil: 'commit' });
    await page.unroute('**/api/notebooks/*/cells/*');
    expect(dialogs).toEqual(['beforeunload']);

    await waitLive(page);
    await expect.poll(() => serverCode(id, 0), { timeout: 20_000 }).toBe('y = 2');
    await expect.poll(() => cell(page, 1).locator('.code-preview').textContent()).toBe('y = 2');
    expect(await page.evaluate((key) => localStorage.getItem(key), `notebook-drafts:${id}`)).toBeNull();
    await page.close();
  });
});

describe('what results say about cells', () => {
  test('a traceback names cells [n]; cut console output is marked', async () => {
    const { id } = await seedNotebook(stack.backend, 'Labels e2e', [
      'def fail():\n    return 1 / 0',
      'fail()',
      "print('x' * 150_000)",
    ]);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await page.getByRole('button', { name: 'Run all' }).click();

    const error = cell(page, 2).locator('.error-output pre');
    await expect.poll(() => error.textContent(), { timeout: 60_000 }).toContain('ZeroDivisionError');
    const text = (await error.textContent()) ?? '';
    expect(text).toContain('Cell [2], line 1');
    expect(text).toContain('Cell [1], line 2');
    expect(text).not.toContain('<cell');

    await expect.poll(() => cell(page, 3).getAttribute('data-status'), { timeout: 60_000 }).toBe('success');
    await expect.poll(() => cell(page, 3).locator('.truncated-marker').textContent()).toBe('… earlier output truncated\n');
    expect(await cell(page, 3).locator('.truncated-marker').isVisible()).toBe(true);
    const { cells } = await stack.backend.request<{ cells: { console_truncated: boolean }[] }>('GET', `/api/notebooks/${id}`);
    expect(cells.map((entry) => entry.console_truncated)).toEqual([false, false, true]);
    await page.close();
  });

  test('an edited cell says "edited since it ran", its dependent does not, and after a restart every cell is "stale"', async () => {
    const { id } = await seedNotebook(stack.backend, 'Freshness e2e', ['a = 1', 'b = a + 1']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => cell(page, 2).getAttribute('data-status'), { timeout: 60_000 }).toBe('success');
    expect(await page.locator('.cell-freshness').count()).toBe(0);

    await typeCode(page, 1, 'a = 2');
    await expect.poll(() => serverCode(id, 0), { timeout: 20_000 }).toBe('a = 2');
    const freshness = (number: number) => cell(page, number).locator('.cell-freshness').getAttribute('data-freshness');
    await expect.poll(() => freshness(1)).toBe('edited');
    // The dependent waits for the edited cell (blocked by [1]): its own code did not change.
    await expect.poll(() => cell(page, 2).getAttribute('data-status')).toBe('blocked');
    expect(await cell(page, 2).locator('.cell-freshness').count()).toBe(0);

    await cell(page, 1).getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => cell(page, 2).getAttribute('data-status'), { timeout: 60_000 }).toBe('success');
    await expect.poll(() => page.locator('.cell-freshness').count()).toBe(0);
    await page.getByRole('button', { name: 'Restart Python' }).click();
    await expect.poll(() => freshness(1), { timeout: 30_000 }).toBe('stale');
    await expect.poll(() => freshness(2)).toBe('stale');
    expect(await cell(page, 1).locator('.cell-freshness').getAttribute('title')).toMatch(/Not run with the current state/);
    await page.close();
  });
});
