import { describe, expect, it } from '@jest/globals';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { checkApiBaseUrl, readDotenvApiUrls } from '../src/verify-build';

// What Vite emits for `fetch(`${import.meta.env.VITE_API_BASE_URL}/api/notebooks`)` once minified.
const chunk = (base: string) => ({ path: 'assets/index-BxYz1234.js', text: `const e=${JSON.stringify(base)};fetch(e+"/api/notebooks")` });
const vendor = { path: 'assets/vendor-Ab12Cd34.js', text: 'new URL(t,"http://localhost")' };
const staging = { url: 'https://api.staging.example.com', source: 'VITE_API_BASE_URL in .env.production' };

describe('checkApiBaseUrl with a requested URL', () => {
  it('names the files that inline it (a trailing slash in the input does not matter)', () => {
    const texts = [vendor, chunk('https://api.example.com')];
    expect(checkApiBaseUrl(texts, 'https://api.example.com', [])).toEqual(['assets/index-BxYz1234.js']);
    expect(checkApiBaseUrl(texts, 'https://api.example.com/', [])).toEqual(['assets/index-BxYz1234.js']);
  });

  it('fails when the build used another URL', () => {
    const check = () => checkApiBaseUrl([vendor, chunk('https://api.staging.example.com')], 'https://api.example.com', []);
    expect(check).toThrow(ConfigurationError);
    expect(check).toThrow(
      'The build does not contain api-base-url "https://api.example.com" in any of its 2 JavaScript/HTML files.',
    );
  });
});

describe('checkApiBaseUrl for a same-origin build', () => {
  it('passes a build with an empty base, even with URL-parsing bases of libraries', () => {
    expect(checkApiBaseUrl([vendor, chunk('')], '', [staging])).toEqual([]);
  });

  it('fails on a URL the project uses for its API elsewhere', () => {
    expect(() => checkApiBaseUrl([chunk('https://api.staging.example.com/')], '', [staging])).toThrow(
      'api-base-url is empty (the API is served from the site\'s own origin), but assets/index-BxYz1234.js calls ' +
        'https://api.staging.example.com (VITE_API_BASE_URL in .env.production).',
    );
  });

  it('fails on a loopback development API', () => {
    const fallback = { path: 'assets/index-BxYz1234.js', text: 'const e=""||"http://localhost:8000";' };
    expect(() => checkApiBaseUrl([fallback], '', [])).toThrow('calls http://localhost:8000 (a development address)');
    const ip = { path: 'index.html', text: '<script>window.API="http://127.0.0.1:8000"</script>' };
    expect(() => checkApiBaseUrl([ip], '', [])).toThrow('index.html calls http://127.0.0.1:8000');
  });
});

describe('readDotenvApiUrls', () => {
  it("reads VITE_API_BASE_URL from the files Vite loads for production, quoted or not", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'dotenv-'));
    await writeFile(join(dir, '.env'), 'VITE_API_BASE_URL=http://localhost:8000\nOTHER=https://x.example\n');
    await writeFile(join(dir, '.env.production'), '# prod\nexport VITE_API_BASE_URL="https://api.example.com" # live\n');
    await writeFile(join(dir, '.env.production.local'), "VITE_API_BASE_URL=''\n");
    await writeFile(join(dir, '.env.development'), 'VITE_API_BASE_URL=https://dev.example.com\n');
    expect(await readDotenvApiUrls(dir)).toEqual([
      { url: 'http://localhost:8000', source: 'VITE_API_BASE_URL in .env' },
      { url: 'https://api.example.com', source: 'VITE_API_BASE_URL in .env.production' },
    ]);
  });
});
