import { formatDuration, markdownTable } from '@notebook-ship/action-kit';
import { attributeRows, formatValue, SENSITIVE, UNKNOWN } from './attributes';
import { decodeEntries, encodeEntries, type Fingerprint, type FingerprintEntry } from './fingerprint';
import { callout, code, escapeHtml, optionalCode, plural, shortSha } from './markdown';
import {
  describeReason,
  type ChangeKind,
  type Counts,
  type OutputChange,
  type PlanModel,
  type ResourceChange,
} from './plan-model';

/** GitHub refuses comment bodies longer than this many characters. */
export const COMMENT_LIMIT = 65_536;
/** Kept free in a plan comment for the apply result added to it later. */
const APPLY_RESERVE = 4_000;
const MAX_WARNINGS = 50;
/** The part of the room left after the summary that the warnings and notes may take. */
const NOTICES_SHARE = 3 / 4;
const MAX_ROWS = 40;

export interface PlanReport {
  organization: string;
  workspace: string;
  runId: string;
  runUrl: string;
  status: string;
  sha?: string;
  /** From the JSON plan when it could be read, else from the plan's own counters (no replacement count). */
  counts: Counts;
  hasChanges: boolean;
  plan?: PlanModel;
  /** Why the JSON plan could not be read, when it could not. */
  planUnavailable?: string;
  fingerprint?: Fingerprint;
  queuedMs: number;
  elapsedMs: number;
  /** Error lines from the run's log when it errored. */
  errors?: string[];
  /** A policy that soft-failed, or another note for reviewers. */
  notes?: string[];
}

export function marker(organization: string, workspace: string): string {
  return `<!-- terraform-cloud:${organization}/${workspace} -->`;
}

const FINGERPRINT = /<!-- terraform-cloud-fingerprint (sha256:[0-9a-f]{64}) -->/;
const ENTRIES = /<!-- terraform-cloud-entries ([A-Za-z0-9+/=]+) -->/;
const RUN = /<!-- terraform-cloud-run (run-[A-Za-z0-9]+) -->/;
const APPLY_SECTION = /\n?<!-- terraform-cloud-apply -->[\s\S]*<!-- \/terraform-cloud-apply -->/;

/** The reviewed fingerprint kept in a plan comment, if it has one. */
export function readFingerprint(body: string): { digest: string; entries?: FingerprintEntry[] } | undefined {
  const digest = FINGERPRINT.exec(body)?.[1];
  if (!digest) return undefined;
  const encoded = ENTRIES.exec(body)?.[1];
  return { digest, entries: encoded ? decodeEntries(encoded) : undefined };
}

/** The run a plan comment shows, if it names one: the apply reads its JSON plan when the comment has no fingerprint. */
export function readRunId(body: string): string | undefined {
  return RUN.exec(body.replace(APPLY_SECTION, ''))?.[1];
}

export function runMarker(runId: string): string {
  return `<!-- terraform-cloud-run ${runId} -->`;
}

/** The comment body for a plan: summary first, then as much detail as fits GitHub's limit. */
export function renderPlanComment(report: PlanReport, limit = COMMENT_LIMIT - APPLY_RESERVE): string {
  const digest = report.fingerprint ? `<!-- terraform-cloud-fingerprint ${report.fingerprint.digest} -->` : '';
  // Always kept, with the fingerprint, in the room reserved before any detail is shown.
  const markers = joined([digest, runMarker(report.runId)]);
  const reserve = 300; // the truncation note
  const summary = [marker(report.organization, report.workspace), headline(report), runLine(report)];
  const room = limit - joined([...summary, markers]).length - reserve;
  // The warnings come before the details, but may not crowd them out entirely.
  const head = [...summary, ...notices(report, Math.floor(room * NOTICES_SHARE))];
  const entries = report.fingerprint
    ? `<!-- terraform-cloud-entries ${encodeEntries(report.fingerprint.entries)} -->`
    : '';
  const details = report.plan ? report.plan.resources.map(resourceDetails) : [];
  const outputs = report.plan && report.plan.outputs.length ? outputsTable(report.plan.outputs) : '';

  let budget = limit - joined([...head, markers]).length - reserve;
  // Per-address entries only sharpen a later mismatch message: they may use a quarter of the room at most.
  const keepEntries = entries.length <= budget / 4;
  if (keepEntries) budget -= entries.length + 2;
  const shown: string[] = [];
  for (const block of [...details, outputs].filter(Boolean)) {
    if (block.length + 2 > budget) break;
    shown.push(block);
    budget -= block.length + 2;
  }
  const omittedResources = details.length - Math.min(shown.length, details.length);
  const omittedOutputs = outputs && !shown.includes(outputs);
  const hidden = [
    omittedResources ? plural(omittedResources, 'more resource change') : '',
    omittedOutputs ? 'the output changes' : '',
  ]
    .filter(Boolean)
    .join(' and ');
  const truncation = hidden
    ? `_${hidden} not shown: GitHub comments are limited to ${COMMENT_LIMIT.toLocaleString('en-US')} characters. ` +
      `The full plan is in [${report.runId}](${report.runUrl})._`
    : '';
  return joined([...head, ...shown, truncation, markers, keepEntries ? entries : '']);
}

/** The body with its apply section replaced (or added). */
export function withApplySection(body: string, section: string): string {
  const block = `<!-- terraform-cloud-apply -->\n${section}\n<!-- /terraform-cloud-apply -->`;
  const base = body.replace(APPLY_SECTION, '');
  const room = COMMENT_LIMIT - base.length - 2;
  if (block.length <= room) return `${base}\n\n${block}`;
  const cut = section.slice(0, Math.max(room - 80, 0));
  return `${base}\n\n<!-- terraform-cloud-apply -->\n${cut}…\n<!-- /terraform-cloud-apply -->`;
}

function joined(parts: readonly string[]): string {
  return parts.filter(Boolean).join('\n\n');
}

function countsLine(counts: Counts, replaceKnown = true): string {
  const parts = [`${counts.add} to add`, `${counts.change} to change`, `${counts.destroy} to destroy`];
  if (replaceKnown && counts.replace) parts.push(`${plural(counts.replace, 'replacement')}`);
  if (counts.import) parts.push(`${counts.import} to import`);
  return parts.join(', ');
}

const FAILED = new Set(['errored', 'canceled', 'force_canceled', 'discarded']);

function headline(report: PlanReport): string {
  const target = code(`${report.organization}/${report.workspace}`);
  if (report.errors || FAILED.has(report.status)) {
    return `### ❌ Terraform plan for ${target} did not finish: ${code(report.status)}`;
  }
  if (!report.hasChanges) return `### ✅ Terraform plan for ${target}: no changes`;
  const icon = report.counts.destroy > 0 ? '⚠️' : '📝';
  return `### ${icon} Terraform plan for ${target}: ${countsLine(report.counts, Boolean(report.plan))}`;
}

function runLine(report: PlanReport): string {
  const parts = [`[${report.runId}](${report.runUrl})`];
  const sha = shortSha(report.sha);
  if (sha) parts.push(`commit ${code(sha)}`);
  const queued = report.queuedMs >= 1_000 ? ` (${formatDuration(report.queuedMs)} queued)` : '';
  parts.push(`took ${formatDuration(report.elapsedMs)}${queued}`);
  parts.push(`status ${code(report.status)}`);
  return parts.join(' · ');
}

function notices(report: PlanReport, room: number): string[] {
  const blocks: string[] = [];
  const add = (block: string) => {
    blocks.push(block);
    room -= block.length + 2;
  };
  if (report.errors?.length) {
    const lines = report.errors.map((line) => line.replace(/```/g, "'''"));
    const more = (count: number) => `… (${count} more lines in the run's log)`;
    add(fittedCallout({ top: ['**The run failed:**', '```'], lines, bottom: ['```'], room, more }));
  }
  const dangerous = (report.plan?.resources ?? []).filter(
    (resource) => resource.kind === 'delete' || resource.kind === 'replace',
  );
  if (dangerous.length) {
    const lines = dangerous.slice(0, MAX_WARNINGS + 1).map((resource) => {
      const reason = describeReason(resource.reason);
      const forcing = attributeRows(resource.change)
        .filter((row) => row.forcesReplacement)
        .map((row) => code(row.path));
      const because = [reason, forcing.length ? `forced by ${forcing.join(', ')}` : ''].filter(Boolean).join('; ');
      const verb = resource.kind === 'replace' ? '**replaced**' : '**destroyed**';
      return `- ${code(resource.address)} will be ${verb}${because ? ` (${because})` : ''}`;
    });
    const replaced = dangerous.filter((resource) => resource.kind === 'replace').length;
    const destroyed = dangerous.length - replaced;
    const summary = [
      replaced ? plural(replaced, 'replacement') : '',
      destroyed ? plural(destroyed, 'destroy', 'destroys') : '',
    ]
      .filter(Boolean)
      .join(' and ');
    const top = [`**This plan has ${summary}:**`];
    const more = (count: number) => `- …and ${count + dangerous.length - lines.length} more`;
    add(fittedCallout({ top, lines, max: MAX_WARNINGS, room, more }));
  } else if (!report.plan && report.counts.destroy > 0) {
    const destroys = plural(report.counts.destroy, 'resource');
    add(callout('CAUTION', [`**This plan destroys ${destroys}** (replacements included).`]));
  }
  if (report.planUnavailable) {
    add(
      callout('NOTE', [
        `Only the counts are shown: ${report.planUnavailable}. No fingerprint could be recorded here, so the apply ` +
          `on main will read the JSON plan of ${report.runId} with its own token (admin access to the workspace) ` +
          'and compute the fingerprint of this reviewed plan from it, then apply only a plan that matches.',
      ]),
    );
  }
  for (const note of report.notes ?? []) add(callout('WARNING', [note]));
  return blocks;
}

interface FittedCallout {
  top: string[];
  lines: readonly string[];
  bottom?: string[];
  /** Lines shown at most, however much room there is. */
  max?: number;
  /** Characters the whole callout may take. */
  room: number;
  /** The line that stands for the lines left out. */
  more: (count: number) => string;
}

/** A caution callout with as many of its lines as fit its room, and a line saying how many did not. */
function fittedCallout({ top, lines, bottom = [], max = lines.length, room, more }: FittedCallout): string {
  const cost = (line: string) => line.length + 3; // "> " and the newline
  let left = room - callout('CAUTION', [...top, ...bottom]).length - cost(more(lines.length));
  const kept: string[] = [];
  for (const line of lines.slice(0, max)) {
    if (cost(line) > left) break;
    kept.push(line);
    left -= cost(line);
  }
  const omitted = kept.length < lines.length ? [more(lines.length - kept.length)] : [];
  return callout('CAUTION', [...top, ...kept, ...omitted, ...bottom]);
}

const SYMBOLS: Record<ChangeKind, string> = {
  create: '+',
  update: '~',
  delete: '-',
  replace: '-/+',
  forget: '.',
  import: '←',
  read: '<=',
  'no-op': ' ',
};

const VERBS: Record<ChangeKind, string> = {
  create: 'create',
  update: 'update in place',
  delete: 'destroy',
  replace: 'replace',
  forget: 'forget (remove from state, keep the object)',
  import: 'import',
  read: 'read',
  'no-op': 'no change',
};

function resourceDetails(resource: ResourceChange): string {
  const verb = `${VERBS[resource.kind]}${resource.importing && resource.kind !== 'import' ? ' and import' : ''}`;
  const summary = `<code>${SYMBOLS[resource.kind]} ${escapeHtml(resource.address)}</code> ${verb}`;
  const rows = resource.kind === 'delete' || resource.kind === 'forget' ? [] : attributeRows(resource.change);
  const body: string[] = [];
  if (rows.length) {
    const creating = resource.kind === 'create';
    const shown = rows.slice(0, MAX_ROWS).map((row) => {
      const name = `${code(row.path)}${row.forcesReplacement ? ' ⚠️ forces replacement' : ''}`;
      return creating ? [name, optionalCode(row.after)] : [name, optionalCode(row.before), optionalCode(row.after)];
    });
    body.push(markdownTable(creating ? ['attribute', 'value'] : ['attribute', 'before', 'after'], shown));
    if (rows.length > MAX_ROWS) body.push(`_…and ${rows.length - MAX_ROWS} more attributes._`);
  } else if (resource.kind === 'delete') {
    body.push(`_${describeReason(resource.reason) ?? 'removed from the configuration'}._`);
  } else if (resource.importing && resource.change.importing?.id) {
    body.push(`_Imports ${code(resource.change.importing.id)}._`);
  } else {
    body.push('_No attribute changes are visible (sensitive or computed values only)._');
  }
  return `<details><summary>${summary}</summary>\n\n${body.join('\n\n')}\n\n</details>`;
}

function outputsTable(outputs: readonly OutputChange[]): string {
  const rows = outputs.map((output) => {
    const { change } = output;
    const before =
      change.before_sensitive === true ? SENSITIVE : present(change.before) ? formatValue(change.before) : undefined;
    const after =
      change.after_unknown === true
        ? UNKNOWN
        : change.after_sensitive === true
          ? SENSITIVE
          : present(change.after)
            ? formatValue(change.after)
            : undefined;
    return [code(output.name), VERBS[output.kind], optionalCode(before), optionalCode(after)];
  });
  return `#### Output changes\n\n${markdownTable(['output', 'change', 'before', 'after'], rows)}`;
}

function present(value: unknown): boolean {
  return value !== undefined && value !== null;
}
