import { formatDuration, markdownTable } from '@notebook-ship/action-kit';
import { code, plural, shortSha } from './markdown';
import type { PhaseResult } from './tfc-api';

/** How an apply ended, for the section added to the pull request's plan comment and to the job summary. */
export type ApplyResult =
  | { kind: 'applied'; phase?: PhaseResult; elapsedMs: number; note: string }
  | { kind: 'no-changes' }
  | { kind: 'rejected'; reason: string; differences: string[] }
  | { kind: 'failed'; status: string; errors: string[] };

export interface ApplyContext {
  organization: string;
  workspace: string;
  runId: string;
  runUrl: string;
  sha: string;
}

const MAX_DIFFERENCES = 20;

export function renderApplySection(context: ApplyContext, result: ApplyResult): string {
  const run = `[${context.runId}](${context.runUrl})`;
  const target = code(`${context.organization}/${context.workspace}`);
  const commit = code(shortSha(context.sha) ?? context.sha);
  switch (result.kind) {
    case 'applied': {
      const counts = result.phase
        ? `${result.phase.additions} added, ${result.phase.changes} changed, ${result.phase.destructions} destroyed`
        : 'applied';
      return [
        `#### ✅ Applied to ${target} from commit ${commit} in ${run}`,
        `${counts} · took ${formatDuration(result.elapsedMs)}`,
        result.note,
      ].join('\n\n');
    }
    case 'no-changes':
      return `#### ✅ Nothing to apply to ${target} from commit ${commit}: ${run} found no changes`;
    case 'rejected': {
      const lines = result.differences.slice(0, MAX_DIFFERENCES).map((line) => `- ${code(line)}`);
      const more = result.differences.length - MAX_DIFFERENCES;
      if (more > 0) lines.push(`- …and ${more} more`);
      const title = `#### ⛔ Not applied to ${target} from commit ${commit}: ${run} was discarded`;
      return [title, `${result.reason}.`, ...lines].join('\n\n');
    }
    case 'failed':
      return [
        `#### ❌ Apply to ${target} from commit ${commit} ended ${code(result.status)} in ${run}`,
        ['```', ...result.errors.map((line) => line.replace(/```/g, "'''")), '```'].join('\n'),
      ].join('\n\n');
  }
}

export function renderOutputsSummary(values: Record<string, unknown>, sensitive: readonly string[]): string {
  const names = Object.keys(values);
  if (!names.length) return '_The workspace has no outputs._';
  const rows = names.map((name) => [
    code(name),
    sensitive.includes(name) ? 'sensitive (masked)' : typeName(values[name]),
  ]);
  return `#### Workspace outputs (${plural(names.length, 'output')})\n\n${markdownTable(['output', 'value'], rows)}`;
}

function typeName(value: unknown): string {
  if (Array.isArray(value)) return `list of ${value.length}`;
  if (value === null) return 'null';
  if (typeof value === 'object') return 'object';
  return typeof value;
}
