// `npm start` is plain node: it registers tsx and imports this package's TypeScript, as scripts/start.mjs does, so
// every module the rehearsal reaches must load outside jest too.
import { describe, expect, it } from '@jest/globals';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));
const entry = new URL('../src/index.ts', import.meta.url).href;

const LOADER = `
const { register } = await import('tsx/esm/api');
register();
const { parseCli, USAGE } = await import(${JSON.stringify(entry)});
const cli = parseCli(['--port', '0', '--exit-after-smoke-test', '--fail-backend']);
const kept = parseCli(['--rotate-token', '--reset', '--state-dir', 'somewhere/else', '--kernels', 'ecs']);
let refused = '';
try {
  parseCli(['--kernels', 'docker']);
} catch (error) {
  refused = error.message.split('\\n')[0];
}
console.log(JSON.stringify({ cli, kept, refused, usage: USAGE.split('\\n')[0] }));
`;

describe('the rehearsal, loaded through tsx as npm start loads it', () => {
  // The jest fixtures live apart (@notebook-ship/local-aws/testing): @jest/globals only loads inside jest.
  it('loads with everything it imports, and reads its command line', () => {
    const run = spawnSync(process.execPath, ['--input-type=module', '--eval', LOADER], { cwd: repoRoot, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).not.toMatch(/Error/);
    expect(run.status).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({
      cli: { port: 0, exitAfterSmokeTest: true, failBackend: true, rotateToken: false, reset: false, stateDir: `${repoRoot}.local/npm-start`, kernels: 'process' },
      kept: { port: 8080, exitAfterSmokeTest: false, failBackend: false, rotateToken: true, reset: true, stateDir: `${repoRoot}somewhere/else`, kernels: 'ecs' },
      refused: 'error: --kernels must be process or ecs; got "docker"',
      usage: 'usage: npm start [-- --port N] [-- --exit-after-smoke-test] [-- --fail-backend] [-- --rotate-token]',
    });
  });
});
