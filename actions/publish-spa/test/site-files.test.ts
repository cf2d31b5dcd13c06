import { describe, expect, it } from '@jest/globals';
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { scanSite } from '../src/site-files';

async function site(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'site-'));
  for (const [path, content] of Object.entries(files)) {
    await mkdir(join(dir, path, '..'), { recursive: true });
    await writeFile(join(dir, path), content);
  }
  return dir;
}

describe('scanSite', () => {
  it('hashes every file by content and keeps the scripts and pages as text', async () => {
    const page = '<script src="/assets/index-Ab12Cd34.js"></script>';
    const dir = await site({
      'index.html': page,
      'assets/index-Ab12Cd34.js': 'hello',
      'assets/logo-Ab12Cd34.svg': '<svg/>',
      'deep/er/robots.txt': '',
    });
    const { files, texts } = await scanSite(dir, 'publish');
    expect(files).toEqual([
      { path: 'assets/index-Ab12Cd34.js', size: 5, md5: '5d41402abc4b2a76b9719d911017c592' },
      { path: 'assets/logo-Ab12Cd34.svg', size: 6, md5: expect.stringMatching(/^[0-9a-f]{32}$/) },
      { path: 'deep/er/robots.txt', size: 0, md5: 'd41d8cd98f00b204e9800998ecf8427e' },
      { path: 'index.html', size: page.length, md5: expect.stringMatching(/^[0-9a-f]{32}$/) },
    ]);
    expect(texts.map((text) => text.path)).toEqual(['assets/index-Ab12Cd34.js', 'index.html']);
    expect(texts[0]?.text).toBe('hello');
  });

  it('says what is wrong with the output folder', async () => {
    await expect(scanSite(join(tmpdir(), 'no-such-dist'), 'publish')).rejects.toThrow(
      /no-such-dist does not exist: set "dist-dir" \(relative to "working-directory"\)/,
    );
    await expect(scanSite(await site({ 'app.js': '' }), 'publish')).rejects.toThrow(ConfigurationError);
    await expect(scanSite(await site({ 'app.js': '' }), 'publish')).rejects.toThrow('has no index.html');
    await expect(scanSite(await site({ 'index.html': '', '_releases/x.json': '{}' }), 'publish')).rejects.toThrow(
      'The build has a "_releases/" folder; that key prefix is reserved for release records: rename the folder.',
    );
  });
});
