// Two people in two browsers, signed in at the local OpenID Connect provider: Alice shares a notebook read-only with
// Bob, who reads it but can neither edit nor run it; each sees the other; Alice restores a version; the audit log
// shows all of it.
import { readFileSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from './harness';
import { cell, newPage, typeCode, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ signIn: true });
});
afterAll(async () => {
  await stack?.stop();
});

/** A browser of its own (own cookies), signed in as `who` by clicking through the provider's page. */
async function signIn(who: string, path = '/'): Promise<Page> {
  const page = await newPage(stack.browser);
  await page.goto(`${stack.app.url}${path}`);
  await page.getByRole('button', { name: 'Sign in', exact: true }).click();
  await page.getByRole('button', { name: `Sign in as ${who}` }).click();
  await page.waitForURL(`${stack.app.url}${path}`);
  return page;
}

/** REST as the person signed in on `page`: their session cookie, and the CSRF token their session gives. */
async function asPerson<T>(page: Page, method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> {
  const session = (await (await page.request.get(`${stack.app.url}/api/auth/session`)).json()) as { csrf_token: string };
  const response = await page.request.fetch(`${stack.app.url}${path}`, {
    method,
    headers: { 'X-CSRF-Token': session.csrf_token },
    ...(body === undefined ? {} : { data: body }),
  });
  return { status: response.status(), body: (response.status() === 204 ? undefined : await response.json()) as T };
}

interface AuditLine {
  actor: { id: string; name: string };
  action: string;
  notebook_id: string | null;
}

describe('teams', () => {
  test('Alice shares read-only with Bob: he reads but cannot edit or run; both see each other; a restore; the audit log', async () => {
    const alice = await signIn('Alice Example');
    const bob = await signIn('Bob Example');
    const { body: created } = await asPerson<{ notebook_id: string }>(alice, 'POST', '/api/notebooks', { name: 'Team e2e' });
    const id = created.notebook_id;
    for (const code of ['x = 1', 'y = x * 10\ny']) {
      expect((await asPerson(alice, 'POST', `/api/notebooks/${id}/cells`, { type: 'python', code })).status).toBe(201);
    }
    // Not shared yet: to Bob it does not exist.
    expect((await asPerson(bob, 'GET', `/api/notebooks/${id}`)).status).toBe(404);

    await alice.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(alice);
    await alice.getByRole('button', { name: 'Share', exact: true }).click();
    const dialog = alice.getByRole('dialog', { name: 'Share' });
    const add = dialog.getByRole('form', { name: 'Add a share' });
    await add.getByLabel('Share with').selectOption('user');
    await add.getByLabel('E-mail').fill('bob@example.com');
    await add.getByLabel('Role').selectOption('viewer');
    await add.getByRole('button', { name: 'Add' }).click();
    await dialog.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dialog.count(), { timeout: 10_000 }).toBe(0);

    // Bob reads it: the code and the outputs, and nothing to change or run it with.
    await bob.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(bob);
    expect(await bob.locator('.view-only-banner').textContent()).toMatch(/^View only: alice@example.com shared this notebook with you as a viewer/);
    await expect.poll(() => cell(bob, 2).locator('.code-preview').textContent()).toBe('y = x * 10\ny');
    expect(await cell(bob, 1).getByRole('button', { name: 'Run' }).count()).toBe(0);
    expect(await bob.getByRole('button', { name: 'Run all' }).count()).toBe(0);
    expect(await bob.getByRole('button', { name: 'Share', exact: true }).count()).toBe(0);
    // The server refuses him too, whatever a page shows.
    const cells = (await asPerson<{ cells: { id: string }[] }>(bob, 'GET', `/api/notebooks/${id}`)).body.cells;
    const edit = await asPerson<{ detail: string }>(bob, 'PUT', `/api/notebooks/${id}/cells/${cells[0]?.id}`, { code: 'x = 99' });
    expect(edit.status).toBe(403);
    expect(edit.body.detail).toMatch(/viewer/);

    // Each sees the other in the notebook.
    await alice.getByRole('group', { name: /Also here: .*Bob Example/ }).waitFor({ timeout: 20_000 });
    await bob.getByRole('group', { name: /Also here: .*Alice Example/ }).waitFor({ timeout: 20_000 });

    // Alice edits and runs; Bob sees where she edits, and the result.
    await typeCode(alice, 1, 'x = 2');
    await cell(bob, 1).getByRole('group', { name: 'Editing this cell: Alice Example' }).waitFor({ timeout: 20_000 });
    await alice.keyboard.press('Shift+Enter');
    await expect.poll(() => cell(bob, 2).locator('.text-output').textContent(), { timeout: 30_000 }).toBe('20');
    await expect.poll(() => cell(bob, 1).locator('.code-preview').textContent()).toBe('x = 2');

    // Alice restores the version before her edit; both pages follow.
    await alice.getByRole('button', { name: 'History', exact: true }).click();
    const history = alice.getByRole('region', { name: 'History', exact: true });
    await expect.poll(() => history.getByRole('button', { name: /2 cells$/ }).count(), { timeout: 20_000 }).toBeGreaterThan(1);
    await history.getByRole('button', { name: /2 cells$/ }).nth(1).click();
    await history.locator('.line-added').filter({ hasText: 'x = 1' }).waitFor();
    await history.getByRole('button', { name: 'Restore this version' }).click();
    await history.getByRole('group', { name: 'Restore this version?' }).getByRole('button', { name: 'Yes, restore' }).click();
    await expect.poll(() => cell(bob, 1).locator('.code-preview').textContent(), { timeout: 20_000 }).toBe('x = 1');

    // The audit log: in the page, and in the file the server writes.
    await alice.getByRole('button', { name: 'Activity', exact: true }).click();
    const activity = alice.getByRole('region', { name: 'Activity' });
    const row = (action: string) => activity.locator(`.audit-event[data-action="${action}"]`);
    await row('restore_version').first().waitFor({ timeout: 20_000 });
    expect(await row('restore_version').first().textContent()).toMatch(/Alice Example.*Restored a saved version|Restored a saved version.*Alice Example/);
    expect(await row('set_access').first().textContent()).toContain('Changed who has access');
    expect(await row('run_cell').count()).toBeGreaterThan(0);
    const lines = (): AuditLine[] =>
      readFileSync(stack.auditLog as string, 'utf8')
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line) as AuditLine);
    await expect.poll(() => lines().some((line) => line.action === 'restore_version'), { timeout: 10_000 }).toBe(true);
    const about = lines().filter((line) => line.notebook_id === id);
    const by = (action: string) => about.filter((line) => line.action === action).map((line) => line.actor.name);
    expect(by('set_access')).toEqual(['Alice Example']);
    expect(by('run_cell')).toContain('Alice Example');
    expect(by('update_cell')).toContain('Alice Example');
    expect(by('restore_version')).toEqual(['Alice Example']);
    expect(about.some((line) => line.actor.name === 'Bob Example')).toBe(false); // he was refused everything
    const signIns = lines().filter((line) => line.action === 'sign_in').map((line) => line.actor.id);
    expect(signIns).toEqual(expect.arrayContaining(['alice@example.com', 'bob@example.com']));

    await alice.close();
    await bob.close();
  });
});
