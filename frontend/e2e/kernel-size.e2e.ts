// The kernel size in Chromium: the header's picker lists the sizes the server offers, a choice is kept with the
// notebook (a reload shows it), and the page says the size does not apply to kernels that run inside the server.
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, waitLive } from './pages';

let stack: Stack;
beforeAll(async () => {
  stack = await startStack();
});
afterAll(async () => {
  await stack?.stop();
});

describe('the kernel size', () => {
  test('a size chosen in the header is kept after a reload', async () => {
    const { id } = await seedNotebook(stack.backend, 'Sized e2e', ['x = 41 + 1']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    const picker = page.getByLabel('Kernel size');
    await expect.poll(() => picker.isEnabled()).toBe(true);
    expect(await picker.inputValue()).toBe('small');
    // The server's default KERNEL_SIZES, as its API states them: large is not offered.
    expect(await picker.locator('option').allTextContents()).toEqual(['small (0.5 vCPU, 1 GiB)', 'medium (1 vCPU, 4 GiB)']);
    // The e2e backend runs kernels as its own processes: the page says the size does not apply to them.
    await page.getByText('ECS kernels only').waitFor();

    await page.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => cell(page, 1).getAttribute('data-status'), { timeout: 60_000 }).toBe('success');
    await picker.selectOption('medium');
    await page.getByRole('status').filter({ hasText: 'the size applies once they run as ECS tasks' }).waitFor();
    expect(await page.locator('.kernel-state').textContent()).toBe('Python ready');

    await page.reload();
    await waitLive(page);
    await expect.poll(() => picker.inputValue()).toBe('medium');
    const saved = await stack.backend.request<{ kernel_size: string }>('GET', `/api/notebooks/${id}`);
    expect(saved.kernel_size).toBe('medium');
  });
});
