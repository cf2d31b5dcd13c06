// Kernels in Chromium: the Kernels page lists the open notebook's kernel and its Stop button ends the process, and
// a `%pip install` cell streams pip's output while it runs, the package then importable by the next cell.
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { seedNotebook, type Stack, startStack } from './harness';
import { cell, newPage, waitLive } from './pages';

const backendDir = fileURLToPath(new URL('../../backend', import.meta.url));

interface Kernel {
  notebook_id: string;
  pid: number | null;
}

let stack: Stack;
let wheels: string;
beforeAll(async () => {
  stack = await startStack();
  wheels = await mkdtemp(join(tmpdir(), 'wheels-e2e-'));
  // The backend tests' wheel: installing it needs no network.
  execFileSync(join(backendDir, '.venv', 'bin', 'python'), ['-c', 'import sys; from tests.wheels import build_wheel; build_wheel(__import__("pathlib").Path(sys.argv[1]))', wheels], { cwd: backendDir });
});
afterAll(async () => {
  await stack?.stop();
  if (wheels) await rm(wheels, { recursive: true, force: true });
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

describe('kernels in the browser', () => {
  test('the Kernels page lists the open notebook and Stop ends its kernel', async () => {
    const { id } = await seedNotebook(stack.backend, 'Kernel e2e', ['x = 41 + 1']);
    const notebook = await newPage(stack.browser);
    await notebook.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(notebook);
    await notebook.getByRole('button', { name: 'Run all' }).click();
    await expect.poll(() => cell(notebook, 1).getAttribute('data-status'), { timeout: 60_000 }).toBe('success');
    const kernels = async () => (await stack.backend.request<{ kernels: Kernel[] }>('GET', '/api/kernels')).kernels;
    const pid = (await kernels()).find((kernel) => kernel.notebook_id === id)?.pid;
    expect(pid).toBeTypeOf('number');

    // Reached from the header, in another tab.
    const panel = await newPage(stack.browser);
    await panel.goto(stack.app.url);
    await panel.getByRole('link', { name: 'Kernels' }).click();
    const row = panel.getByRole('row').filter({ has: panel.getByRole('link', { name: 'Kernel e2e' }) });
    await row.waitFor();
    expect(await row.locator('td').allTextContents()).toEqual(expect.arrayContaining(['running', String(pid), '1']));
    expect(await row.locator('td').nth(3).textContent()).toMatch(/^\d+ MB$/);

    await row.getByRole('button', { name: 'Stop the kernel of Kernel e2e' }).click();
    await row.waitFor({ state: 'detached' });
    expect((await kernels()).map((kernel) => kernel.notebook_id)).not.toContain(id);
    expect(alive(pid as number)).toBe(false);
    // The notebook's tab says so, and its cell must run again.
    await expect.poll(() => notebook.getByRole('status').filter({ hasText: 'kernels panel' }).textContent()).toBe(
      'The kernel was stopped from the kernels panel: run the cells again.',
    );
    await expect.poll(() => cell(notebook, 1).getAttribute('class')).toContain('stale');
  });

  test('a %pip install cell streams its output and the package imports in the next cell', async () => {
    const install = `%pip install --no-index --find-links ${wheels} shipwheel\nimport time\ntime.sleep(4)`;
    const { id } = await seedNotebook(stack.backend, 'Pip e2e', [install, 'import shipwheel\nshipwheel.VALUE']);
    const page = await newPage(stack.browser);
    await page.goto(`${stack.app.url}/notebooks/${id}`);
    await waitLive(page);
    await page.getByRole('button', { name: 'Run all' }).click();

    // pip finished, the cell still sleeps: its output came while it ran.
    const installing = cell(page, 1);
    await expect
      .poll(async () => [await installing.getAttribute('data-status'), (await installing.locator('.console').textContent()) ?? ''], { timeout: 30_000 })
      .toEqual(['running', expect.stringContaining('Successfully installed shipwheel-0.1')]);
    await expect.poll(() => cell(page, 2).locator('.text-output').textContent(), { timeout: 60_000 }).toBe('4242');
    expect(await installing.getAttribute('data-status')).toBe('success');
  });
});
