/** Inline code that survives any content: a code span, or an HTML code element when the text has backticks. */
export function code(text: string): string {
  return text.includes('`') ? `<code>${escapeHtml(text)}</code>` : `\`${text}\``;
}

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Inline code, or nothing for a value that does not exist (an empty table cell). */
export function optionalCode(text: string | undefined): string {
  return text === undefined ? '' : code(text);
}

export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function shortSha(sha: string | undefined): string | undefined {
  return sha ? sha.slice(0, 7) : undefined;
}

/** A blockquote callout (`> [!CAUTION]`) over the given lines. */
export function callout(kind: 'NOTE' | 'WARNING' | 'CAUTION', lines: readonly string[]): string {
  return [`> [!${kind}]`, ...lines.map((line) => (line ? `> ${line}` : '>'))].join('\n');
}
