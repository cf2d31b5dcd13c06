// A backend with ACCESS_TOKEN: the page asks for the token once and uses it for REST and the WebSocket.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type Stack, startStack } from './harness';
import { cell, newPage, waitLive } from './pages';

const TOKEN = 'e2e-Token_123';
let stack: Stack;
beforeAll(async () => {
  stack = await startStack({ token: TOKEN });
});
afterAll(() => stack?.stop());

describe('access token', () => {
  test('asks for the token on 401, rejects a wrong one, then works over REST and WebSocket', async () => {
    const page = await newPage(stack.browser);
    await page.goto(stack.app.url);
    const dialog = page.getByRole('dialog', { name: 'Access token' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('needs an access token');
    expect(await dialog.textContent()).toContain('npm start');
    // The list behind the dialog speaks to users too, not of HTTP headers.
    await expect.poll(() => page.locator('main').textContent()).toContain('The access token is missing or wrong.');
    expect(await page.locator('body').textContent()).not.toMatch(/Bearer|ACCESS_TOKEN/);

    await dialog.getByLabel('Token').fill('wrong');
    await dialog.getByRole('button', { name: 'Save token' }).click();
    await expect.poll(() => dialog.textContent()).toContain('was refused');

    await dialog.getByLabel('Token').fill(TOKEN);
    await dialog.getByRole('button', { name: 'Save token' }).click();
    await page.getByRole('link', { name: 'Welcome: a reactive notebook' }).click();
    await waitLive(page);
    expect(await dialog.count()).toBe(0);

    await cell(page, 2).getByRole('button', { name: 'Run' }).click();
    await expect.poll(() => cell(page, 2).getAttribute('data-status'), { timeout: 30_000 }).toBe('success');

    // Kept in this browser: a reload needs no prompt.
    expect(await page.evaluate(() => localStorage.getItem('notebook-ship.access-token'))).toBe(TOKEN);
    await page.reload();
    await waitLive(page);
    expect(await dialog.count()).toBe(0);
    await page.close();
  });
});
