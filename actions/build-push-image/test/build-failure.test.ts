import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { describeBuildFailure, parseBuildFailure } from '../src/build-failure';

// Logs shaped like what buildx 0.2x prints with --progress=plain for each kind of failure.
const fixture = (name: string) => readFileSync(new URL(`fixtures/buildx/${name}.log`, import.meta.url), 'utf8');

describe('parseBuildFailure', () => {
  it('finds the failed RUN step, its own output across interleaved vertices, and its place in the Dockerfile', () => {
    expect(parseBuildFailure(fixture('run-failed'))).toEqual({
      vertex: '[builder 4/4] RUN pip install --no-deps -r requirements.lock',
      vertexError: 'process "/bin/sh -c pip install --no-deps -r requirements.lock" did not complete successfully: exit code: 1',
      output: [
        'Collecting fastapi==0.115.6 (from -r requirements.lock (line 1))',
        '  Downloading fastapi-0.115.6-py3-none-any.whl.metadata (27 kB)',
        'Collecting uvicorn==0.34.0 (from -r requirements.lock (line 2))',
        '  Downloading uvicorn-0.34.0-py3-none-any.whl.metadata (6.5 kB)',
        'ERROR: Could not find a version that satisfies the requirement notebook-engine==9.9.9 (from versions: 0.1.0, 0.2.0)',
        'ERROR: No matching distribution found for notebook-engine==9.9.9',
        '',
        '[notice] A new release of pip is available: 24.3.1 -> 25.0',
        '[notice] To update, run: pip install --upgrade pip',
      ],
      location: 'Dockerfile:9',
      reason:
        'failed to build: failed to solve: process "/bin/sh -c pip install --no-deps -r requirements.lock" did not ' +
        'complete successfully: exit code: 1',
    });
  });

  it('ignores a missing registry cache and the platform canceled because of the failure', () => {
    expect(parseBuildFailure(fixture('two-platforms'))).toMatchObject({
      vertex: '[linux/amd64 2/3] RUN npm ci',
      output: [
        'npm warn deprecated inflight@1.0.6: This module is not supported',
        'npm error code ERESOLVE',
        'npm error ERESOLVE could not resolve',
        'npm error While resolving: web@0.1.0',
        'npm error Found: react@19.0.0',
      ],
      location: 'web.Dockerfile:4',
    });
  });
});

describe('describeBuildFailure', () => {
  it('leads with the failed step and its exit status, then the lines that say why', () => {
    expect(describeBuildFailure(fixture('run-failed'), 1)).toBe(
      [
        'docker buildx build failed with exit code 1: `[builder 4/4] RUN pip install --no-deps -r requirements.lock` ' +
          '(Dockerfile:9) failed: process "/bin/sh -c pip install --no-deps -r requirements.lock" did not complete ' +
          'successfully: exit code: 1',
        'Its output:',
        '  Collecting fastapi==0.115.6 (from -r requirements.lock (line 1))',
        '    Downloading fastapi-0.115.6-py3-none-any.whl.metadata (27 kB)',
        '  Collecting uvicorn==0.34.0 (from -r requirements.lock (line 2))',
        '    Downloading uvicorn-0.34.0-py3-none-any.whl.metadata (6.5 kB)',
        '  ERROR: Could not find a version that satisfies the requirement notebook-engine==9.9.9 (from versions: 0.1.0, 0.2.0)',
        '  ERROR: No matching distribution found for notebook-engine==9.9.9',
        '  [notice] A new release of pip is available: 24.3.1 -> 25.0',
        '  [notice] To update, run: pip install --upgrade pip',
      ].join('\n'),
    );
  });

  it('keeps the last lines of a long output, each of a readable length', () => {
    const output = Array.from({ length: 40 }, (_, index) => `#9 ${index}.000 line ${index} ${'x'.repeat(index === 39 ? 400 : 0)}`);
    const log = ['#9 [2/2] RUN make', ...output, '#9 ERROR: process "/bin/sh -c make" did not complete successfully: exit code: 2'];
    const lines = describeBuildFailure(log.join('\n'), 1).split('\n');
    expect(lines[1]).toBe('Last 15 lines of its output:');
    expect(lines[2]).toBe('  line 25 ');
    expect(lines.at(-1)).toBe(`  line 39 ${'x'.repeat(292)}…`);
  });

  it('says what failed when no step did: a Dockerfile that does not parse, a push the registry refused', () => {
    expect(describeBuildFailure(fixture('parse-error'), 1)).toBe(
      'docker buildx build failed with exit code 1: failed to build: failed to solve: dockerfile parse error on line 4: ' +
        'unknown instruction: RUNN (did you mean RUN?) (Dockerfile:4)',
    );
    expect(describeBuildFailure(fixture('push-denied'), 1).split('\n')).toEqual([
      'docker buildx build failed with exit code 1: `exporting to image` failed: failed to push ' +
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook:3f2a1b0: unexpected status from HEAD request to ' +
        'https://123456789012.dkr.ecr.us-east-1.amazonaws.com/v2/notebook/blobs/sha256:aa: 403 Forbidden',
      'Its output:',
      '  exporting layers 1.2s done',
      '  exporting manifest sha256:5f3c0c2bd0f4b1d1a2e3f4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d0e1f2a3b4c5 done',
      '  pushing layers 0.3s done',
    ]);
    expect(describeBuildFailure('docker: Error response from daemon', 125)).toBe(
      'docker buildx build failed with exit code 125: see the build log above',
    );
  });
});
