import { formatDuration, keyValueTable, type Outputs } from '@notebook-ship/action-kit';
import type { Outcome } from './build-push';

export type BuildOutputs = Outputs<'image' | 'digest' | 'tags' | 'registry' | 'skipped'>;

export function actionOutputs(outcome: Outcome): BuildOutputs {
  const { repository, digest } = outcome;
  return {
    image: outcome.inRegistry && digest ? `${repository.uri}@${digest}` : '',
    digest: digest ?? '',
    tags: outcome.tags.map((tag) => `${repository.uri}:${tag}`).join('\n'),
    registry: outcome.registry,
    skipped: String(outcome.plan.kind === 'reuse'),
  };
}

export function summaryMarkdown(outcome: Outcome): string {
  const outputs = actionOutputs(outcome);
  const { plan, build } = outcome;
  const rows: Array<[string, string | undefined]> = [
    ['Image', outputs.image ? `\`${outputs.image}\`` : 'not pushed'],
    ['Digest', outputs.digest ? `\`${outputs.digest}\`` : undefined],
    ['Tags', codeList(outcome.tags) || 'none'],
  ];
  if (plan.kind === 'reuse') {
    rows.push(['Result', `skipped: the image tagged \`${outcome.tags[0] ?? plan.image.tags[0]}\` already existed`]);
    if (plan.add.length) rows.push(['Tags added', codeList(plan.add)]);
    if (plan.withheld.length) rows.push(['Tags not added (push off)', codeList(plan.withheld)]);
  } else if (build) {
    rows.push(['Result', outcome.inRegistry ? 'built and pushed' : 'built, not pushed']);
    rows.push(['Build time', formatDuration(build.durationMs)]);
    rows.push(['Cache', describeCache(build)]);
    rows.push(['Builder', build.builder]);
    rows.push(['Build record', build.buildRef]);
  }
  return `### Image ${outcome.repository.name}\n\n${keyValueTable(rows)}\n`;
}

function codeList(tags: readonly string[]): string {
  return tags.map((tag) => `\`${tag}\``).join(', ');
}

function describeCache(build: NonNullable<Outcome['build']>): string {
  const { cache } = build;
  if (!cache) return 'off';
  const steps = cache.steps
    ? `${cache.cached} of ${cache.steps} build steps from cache`
    : 'no build steps reported';
  const read = cache.imported ? 'imported' : 'nothing imported (first build, or the cache was deleted)';
  const written = cache.exportError
    ? `not saved: ${cache.exportError}`
    : cache.exported
      ? 'saved'
      : 'no cache export reported';
  return `${steps}; \`${cache.ref}\` ${read}, ${written}`;
}
