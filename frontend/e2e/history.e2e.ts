// A notebook's history in Chromium: an edit's save is compared with the version before it, then undone by restoring
// that version (kept after a reload), and a deleted notebook comes back from the list's Recently deleted.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, typeCode, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

interface Saved {
  cells: { code: string }[];
}

describe('the history', () => {
  test('an edit is shown against the version before it; restoring that one brings the old code back, also after a reload', async () => {
    const { id } = await seedNotebook(stack.backend, 'History e2e', ['x = 1']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await typeCode(page, 1, 'x = 2');
    const code = async () => (await stack.backend.request<Saved>('GET', `/api/notebooks/${id}`)).cells[0]?.code;
    await expect.poll(code, { timeout: 20_000 }).toBe('x = 2');

    await page.getByRole('button', { name: 'History', exact: true }).click();
    const history = page.getByRole('region', { name: 'History', exact: true });
    // Newest first: the edit, then the cell as seeded, then the empty notebook.
    await expect.poll(() => history.getByRole('button', { name: /1 cell$/ }).count()).toBe(2);
    // What the edit's save changed, against the version before it.
    await history.getByRole('button', { name: /1 cell$/ }).first().click();
    await history.getByRole('radio', { name: 'The version before it' }).check();
    await history.locator('.line-removed').filter({ hasText: 'x = 1' }).waitFor();
    await history.locator('.line-added').filter({ hasText: 'x = 2' }).waitFor();
    await history.getByRole('button', { name: /1 cell$/ }).nth(1).click();
    await history.locator('.line-added').filter({ hasText: 'x = 1' }).waitFor();
    await history.getByRole('button', { name: 'Restore this version' }).click();
    await history.getByRole('group', { name: 'Restore this version?' }).getByRole('button', { name: 'Yes, restore' }).click();
    await expect.poll(code, { timeout: 20_000 }).toBe('x = 1');

    await page.reload();
    await waitLive(page);
    await expect.poll(() => cell(page, 1).locator('.code-preview').textContent()).toBe('x = 1');
  });

  test('a deleted notebook is restored from Recently deleted', async () => {
    const name = 'Deleted e2e';
    await seedNotebook(stack.backend, name, ['y = 1']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/`);
    const row = page.getByRole('listitem').filter({ has: page.getByRole('link', { name }) });
    await row.getByRole('button', { name: 'Delete' }).click();
    await row.getByRole('button', { name: 'Yes, delete' }).click();
    await expect.poll(() => page.getByRole('link', { name }).count()).toBe(0);

    const deleted = page.getByRole('region', { name: 'Recently deleted' });
    await deleted.getByRole('button', { name: `Restore ${name}` }).click();
    await page.getByRole('link', { name }).waitFor();
    await page.getByRole('link', { name }).click();
    await waitLive(page);
    await expect.poll(() => cell(page, 1).locator('.code-preview').textContent()).toBe('y = 1');
  });
});
