// A workflow step of the rehearsal runs an action bundle through the kit's runner harness: a tiny action written
// here stands in for a committed bundle.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSupervisor } from '../src/processes';
import { runActionStep, StepError } from '../src/steps';

const ACTION = `
import { appendFileSync } from 'node:fs';
const token = process.env['INPUT_ACCESS-TOKEN'];
console.log('::add-mask::' + token);
console.log('::group::Checking ' + process.env.INPUT_URL);
console.log('using ' + token + ' for ' + process.env.GITHUB_SHA + ' in ' + process.cwd());
console.log('::endgroup::');
console.error('a warning on stderr');
if (process.env.INPUT_BREAK === 'true') {
  console.log('::error title=Smoke test failed::auth: ' + token + ' was accepted without a check');
  console.log('::error::websocket: no answer');
  process.exit(1);
}
if (process.env.INPUT_BREAK === 'quietly') process.exit(3);
if (process.env.INPUT_BREAK === 'hang') setInterval(() => {}, 1000);
else appendFileSync(process.env.GITHUB_OUTPUT, 'passed=true\\n');
`;

let dir: string;
let entry: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'rehearsal-step-'));
  entry = join(dir, 'index.mjs');
  await writeFile(entry, ACTION);
});
afterAll(() => rm(dir, { recursive: true, force: true }));

function step(inputs: Record<string, string>, timeoutMinutes = 1) {
  const lines: string[] = [];
  const supervisor = createSupervisor();
  const tracked: string[] = [];
  const track = supervisor.track;
  supervisor.track = (name, stop, pid) => {
    tracked.push(`${name} ${pid}`);
    return track(name, stop, pid);
  };
  const run = runActionStep({
    action: 'smoke-test',
    entry,
    inputs: { url: 'http://127.0.0.1:9', 'access-token': 'Tok3n', ...inputs },
    env: { GITHUB_SHA: 'abc123' },
    timeoutMinutes,
    supervisor,
    print: (line) => lines.push(line),
    cwd: dir,
  });
  return { run, lines, supervisor, tracked };
}

describe('an action step of the rehearsal', () => {
  it('passes inputs and env like the runner, shows the log live and masked, and returns the outputs', async () => {
    const { run, lines, supervisor, tracked } = step({});
    expect(await run).toEqual({ passed: 'true' });
    expect(lines).toEqual([
      '  ┆ uses: ./actions/smoke-test',
      '  │ ▸ Checking http://127.0.0.1:9',
      `  │ using *** for abc123 in ${dir}`,
      '  │ a warning on stderr',
    ]);
    // The action's process was stoppable by Ctrl-C while it ran, and is forgotten once done.
    expect(tracked).toEqual([expect.stringMatching(/^\.\/actions\/smoke-test \d+$/)]);
    expect(supervisor.running()).toEqual([]);
  });

  it("fails with the action's own error annotations, masked", async () => {
    const { run, lines } = step({ break: 'true' });
    await expect(run).rejects.toThrow(StepError);
    await expect(run).rejects.toThrow(
      './actions/smoke-test: Smoke test failed: auth: *** was accepted without a check\nwebsocket: no answer',
    );
    expect(lines).toContain('  │ Error: Smoke test failed: auth: *** was accepted without a check');
  });

  it('names the exit code when the action failed without an annotation', async () => {
    await expect(step({ break: 'quietly' }).run).rejects.toThrow('./actions/smoke-test exited with code 3');
  });

  it("kills an action that outlives the job's timeout, and forgets it", async () => {
    // 1/600 minute: a tenth of a second.
    const { run, supervisor } = step({ break: 'hang' }, 1 / 600);
    const error = await run.catch((reason: unknown) => reason as Error);
    expect(error).toBeInstanceOf(StepError);
    expect(error.message).toMatch(/^\.\/actions\/smoke-test did not finish within its job's timeout-minutes .*did not finish within 100 ms\.$/);
    // What the action printed reaches the user only through the masked log, never in the error.
    expect(error.message).not.toContain('Tok3n');
    expect(supervisor.running()).toEqual([]);
  });
});
