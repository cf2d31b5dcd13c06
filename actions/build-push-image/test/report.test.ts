import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import type { BuildReport, Outcome } from '../src/build-push';
import type { ExistingImage, Repository } from '../src/ecr-api';
import { actionOutputs, summaryMarkdown } from '../src/report';

const repository: Repository = {
  registryId: '123456789012',
  name: 'notebook',
  uri: '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook',
  tagMutability: 'MUTABLE',
};
const registry = '123456789012.dkr.ecr.us-east-1.amazonaws.com';
const DIGEST = `sha256:${'f'.repeat(64)}`;
const image: ExistingImage = { digest: DIGEST, manifest: '{}', mediaType: 'x', tags: ['abc'] };

const build: BuildReport = {
  durationMs: 65_000,
  builder: 'notebook-ship (docker-container driver)',
  cache: { steps: 6, cached: 4, imported: true, exported: true, ref: `${repository.uri}:buildcache` },
  buildRef: 'notebook-ship/notebook-ship0/xyz',
};
const built: Outcome = {
  repository,
  registry,
  plan: { kind: 'build', reason: 'no image is tagged "abc" yet' },
  digest: DIGEST,
  inRegistry: true,
  tags: ['abc', 'latest'],
  build,
};

describe('actionOutputs', () => {
  it('sets exactly the outputs action.yml declares', async () => {
    const action = parse(await readFile(new URL('../action.yml', import.meta.url), 'utf8')) as { outputs: object };
    expect(Object.keys(actionOutputs(built)).sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('names the pushed image by digest and every tag by full reference', () => {
    expect(actionOutputs(built)).toEqual({
      image: `${repository.uri}@${DIGEST}`,
      digest: DIGEST,
      tags: `${repository.uri}:abc\n${repository.uri}:latest`,
      registry,
      skipped: 'false',
    });
  });

  it('outputs no image for a build that was not pushed', () => {
    expect(actionOutputs({ ...built, inRegistry: false, tags: [] })).toMatchObject({ image: '', digest: DIGEST, tags: '' });
  });

  it('says skipped for a reused image', () => {
    const reused: Outcome = {
      repository,
      registry,
      plan: { kind: 'reuse', image, present: ['abc'], add: [], withheld: [] },
      digest: DIGEST,
      inRegistry: true,
      tags: ['abc'],
    };
    expect(actionOutputs(reused)).toMatchObject({ image: `${repository.uri}@${DIGEST}`, skipped: 'true' });
  });
});

describe('summaryMarkdown', () => {
  it('shows the image, the build time, the cache use and the builder of a build', () => {
    expect(summaryMarkdown(built)).toBe(
      [
        '### Image notebook',
        '',
        '| | |',
        '| --- | --- |',
        `| **Image** | \`${repository.uri}@${DIGEST}\` |`,
        `| **Digest** | \`${DIGEST}\` |`,
        '| **Tags** | `abc`, `latest` |',
        '| **Result** | built and pushed |',
        '| **Build time** | 1m 5s |',
        `| **Cache** | 4 of 6 build steps from cache; \`${repository.uri}:buildcache\` imported, saved |`,
        '| **Builder** | notebook-ship (docker-container driver) |',
        '| **Build record** | notebook-ship/notebook-ship0/xyz |',
        '',
      ].join('\n'),
    );
  });

  it('says when the cache was empty or could not be saved', () => {
    const cache = { steps: 6, cached: 0, imported: false, exported: false, exportError: '403 Forbidden', ref: 'r:c' };
    const markdown = summaryMarkdown({ ...built, build: { ...build, cache } });
    expect(markdown).toContain(
      '| **Cache** | 0 of 6 build steps from cache; `r:c` nothing imported (first build, or the cache was deleted), ' +
        'not saved: 403 Forbidden |',
    );
  });

  it('shows what a skipped run did to the tags', () => {
    const reused: Outcome = {
      repository,
      registry,
      plan: { kind: 'reuse', image, present: ['abc'], add: ['latest'], withheld: ['v2'] },
      digest: DIGEST,
      inRegistry: true,
      tags: ['abc', 'latest'],
    };
    const markdown = summaryMarkdown(reused);
    expect(markdown).toContain('| **Result** | skipped: the image tagged `abc` already existed |');
    expect(markdown).toContain('| **Tags added** | `latest` |');
    expect(markdown).toContain('| **Tags not added (push off)** | `v2` |');
    expect(markdown).not.toContain('Build time');
  });
});
