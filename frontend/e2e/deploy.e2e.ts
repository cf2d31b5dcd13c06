// A page loaded before a deploy: its lazy chunks are gone from the new build. It reloads once and carries on.
import { cp, mkdtemp, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { startStaticServer, type StaticServer } from '../scripts/serve.mjs';
import { type Backend, distDir, launchChromium, startBackend } from './harness';
import { newPage, waitLive } from './pages';
import type { Browser } from 'playwright-core';

let backend: Backend;
let site: string;
let server: StaticServer;
let browser: Browser;

beforeAll(async () => {
  backend = await startBackend();
  site = await mkdtemp(join(tmpdir(), 'deployed-site-'));
  await cp(distDir, site, { recursive: true });
  server = await startStaticServer({ root: site, api: backend.url });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await backend?.stop();
  await rm(site, { recursive: true, force: true });
});

/** A new build replaces the old one: the entry and the notebook chunk get new hashed names, the old files go. */
async function deployNewBuild() {
  const assets = join(site, 'assets');
  const files = await readdir(assets);
  const renames = files
    .filter((file) => /^(index|notebook)-[\w-]+\.js$/.test(file))
    .map((file) => [file, file.replace(/-[\w-]+\.js$/, '-redeployed.js')] as const);
  expect(renames.map(([from]) => from.split('-')[0]).sort()).toEqual(['index', 'notebook']);
  const rewrite = (text: string) => renames.reduce((result, [from, to]) => result.replaceAll(from, to), text);
  for (const file of files.filter((name) => name.endsWith('.js'))) {
    const path = join(assets, file);
    await writeFile(path, rewrite(await readFile(path, 'utf8')));
  }
  for (const [from, to] of renames) await rename(join(assets, from), join(assets, to));
  await writeFile(join(site, 'index.html'), rewrite(await readFile(join(site, 'index.html'), 'utf8')));
}

describe('a deploy while the page is open', () => {
  test('a missing chunk reloads the page once, which then opens the notebook', async () => {
    const page = await newPage(browser);
    let documents = 0;
    page.on('response', (response) => {
      if (response.request().resourceType() === 'document') documents++;
    });
    await page.goto(server.url);
    const link = page.getByRole('link', { name: 'Welcome: a reactive notebook' });
    await link.waitFor();
    expect(documents).toBe(1);

    await deployNewBuild();
    await link.click();
    await waitLive(page);
    expect(page.url()).toMatch(/\/notebooks\/[0-9a-f]+$/);
    expect(documents).toBe(2);
    await page.close();
  });
});
