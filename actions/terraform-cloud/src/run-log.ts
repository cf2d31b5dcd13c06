// Colour codes of the plain-text log (ESC [ ... m); built from the char code, as regex literals may not hold ESC.
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*[A-Za-z]`, 'g');
const MAX_LINES = 30;

/**
 * The lines of a plan or apply log that explain a failure. Structured run output (JSON lines with `@level`)
 * gives its error diagnostics; plain output gives everything from the first `Error:`; anything else its tail.
 */
export function errorLines(log: string, max = MAX_LINES): string[] {
  const lines = log.replace(ANSI, '').split(/\r?\n/);
  const structured: string[] = [];
  for (const line of lines) {
    if (!line.startsWith('{')) continue;
    try {
      const entry = JSON.parse(line) as { '@level'?: string; '@message'?: string; diagnostic?: { detail?: string } };
      if (entry['@level'] === 'error') {
        const texts = [entry['@message'], entry.diagnostic?.detail];
        structured.push(...texts.filter((text): text is string => Boolean(text)));
      }
    } catch {
      // a plain line that happens to start with a brace
    }
  }
  if (structured.length) return clip(structured, max);
  const text = lines.map((line) => line.trimEnd());
  const first = text.findIndex((line) => /^(?:[│╷╵]\s*)?Error:/.test(line));
  const relevant = first >= 0 ? text.slice(first) : text.filter(Boolean).slice(-max);
  while (relevant.length && !relevant[relevant.length - 1]) relevant.pop();
  return clip(relevant, max);
}

function clip(lines: string[], max: number): string[] {
  const kept = lines.slice(0, max).map((line) => (line.length > 300 ? `${line.slice(0, 299)}…` : line));
  if (lines.length > max) kept.push(`… (${lines.length - max} more lines in the run's log)`);
  return kept;
}
