import { beforeAll, describe, expect, it } from '@jest/globals';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildBundle } from '../../../scripts/lib/bundle.mjs';
import { runActionBundle } from '../src/testing/index';

// The fixture action is bundled with ncc exactly like a shipped action, then run the way the runner runs it.
let entry: string;
beforeAll(async () => {
  const out = await mkdtemp(join(tmpdir(), 'echo-action-'));
  await buildBundle(fileURLToPath(new URL('fixtures/echo-action/main.ts', import.meta.url)), out);
  entry = join(out, 'index.js');
}, 120_000);

describe('runActionBundle', () => {
  it('passes inputs and reads outputs, state, env, path and summary back', async () => {
    const result = await runActionBundle(entry, {
      inputs: { greeting: 'hello', count: '2', loud: 'true', names: 'a, b\nc', wait: '1m30s' },
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(result.outputs).toEqual({ text: 'HELLO HELLO', lines: 'a\nb\nc', 'wait-ms': '90000' });
    expect(result.state).toEqual({ seen: 'yes' });
    expect(result.exportedEnv).toEqual({ FIXTURE_EXPORTED: 'exported' });
    expect(result.addedPath).toEqual(['/opt/fixture/bin']);
    expect(result.summary).toContain('| **Greeting** | HELLO HELLO |');
    expect(result.commands).toContainEqual({
      command: 'warning',
      properties: { title: 'Fixture' },
      message: 'a warning with, commas: and colons',
    });
  });

  it('hands saved state to a later step as STATE_<name>', async () => {
    const first = await runActionBundle(entry, { inputs: { greeting: 'hi' } });
    const post = await runActionBundle(entry, { inputs: { greeting: 'hi' }, state: first.state });
    expect(post.outputs.post).toBe('state was yes');
  });

  it('fails a run that lacks a required input, naming the input', async () => {
    const result = await runActionBundle(entry, { inputs: {} });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['Input "greeting" is required: set it in the step\'s "with:" block.']);
    expect(result.outputs).toEqual({});
  });

  it('fails on an invalid input, naming accepted values', async () => {
    const result = await runActionBundle(entry, { inputs: { greeting: 'hi', count: '9' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['Input "count" must be a whole number from 1 to 5; got "9".']);
  });

  it('turns a ConfigurationError into setFailed with its message and exit code 1', async () => {
    const result = await runActionBundle(entry, { inputs: { greeting: 'hi', mode: 'fail' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['Greeting "hi" was refused on purpose.']);
  });

  it('reports a bug with its type in the annotation, and its stack as a debug line', async () => {
    const result = await runActionBundle(entry, { inputs: { greeting: 'hi', mode: 'crash' } });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual(['TypeError: an unexpected bug']);
    const debug = result.commands.filter((command) => command.command === 'debug').map((command) => command.message);
    expect(debug).toEqual([expect.stringMatching(/^TypeError: an unexpected bug\n\s+at /)]);
  });

  it('masks secrets before they are printed', async () => {
    const result = await runActionBundle(entry, { inputs: { greeting: 'hi' }, env: { FIXTURE_TOKEN: 's3cr3t' } });
    const lines = result.stdout.split('\n');
    const mask = lines.indexOf('::add-mask::s3cr3t');
    expect(mask).toBeGreaterThanOrEqual(0);
    expect(lines.findIndex((line) => line.includes('token is s3cr3t'))).toBeGreaterThan(mask);
  });

  it('does not leak the parent environment into the action', async () => {
    process.env.AWS_PROFILE = 'developer-profile';
    try {
      const result = await runActionBundle(entry, { inputs: { greeting: 'hi' }, env: { FIXTURE_TOKEN: undefined } });
      expect(result.stdout).toContain('token is unset');
    } finally {
      delete process.env.AWS_PROFILE;
    }
  });
});
