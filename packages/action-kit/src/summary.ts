import * as core from '@actions/core';

/** Markdown-safe text for a table cell: pipes and newlines would break the row. */
export function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\r?\n/g, '<br>');
}

/** A two-column markdown table, skipping rows whose value is undefined or empty. */
export function keyValueTable(rows: ReadonlyArray<readonly [string, string | number | undefined]>): string {
  const lines = ['| | |', '| --- | --- |'];
  for (const [key, value] of rows) {
    if (value === undefined || value === '') continue;
    lines.push(`| **${escapeCell(key)}** | ${escapeCell(String(value))} |`);
  }
  return lines.join('\n');
}

export function markdownTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>): string {
  const line = (cells: readonly string[]) => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

/**
 * Appends markdown to the job summary. Outside a runner (no GITHUB_STEP_SUMMARY) the summary is only
 * logged, so a local run never fails because of it.
 */
export async function writeSummary(markdown: string): Promise<void> {
  if (!process.env.GITHUB_STEP_SUMMARY) {
    core.info(markdown);
    return;
  }
  await core.summary.addRaw(markdown, true).write();
}
