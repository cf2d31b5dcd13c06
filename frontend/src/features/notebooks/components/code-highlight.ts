// Syntax highlighting of the closed cells: highlight.js with only the cell languages, in a chunk of its own loaded
// with the first notebook (Monaco, ten times larger, loads only when a cell is opened for editing).
import type { HLJSApi } from 'highlight.js';
import type { CellType } from '../api/notebooks';

const LANGUAGES: Record<CellType, string> = { python: 'python', sql: 'sql', markdown: 'markdown' };

let ready: HLJSApi | null = null;
let loading: Promise<HLJSApi> | null = null;

async function load(): Promise<HLJSApi> {
  const [core, python, sql, markdown] = await Promise.all([
    import('highlight.js/lib/core'),
    import('highlight.js/lib/languages/python'),
    import('highlight.js/lib/languages/sql'),
    import('highlight.js/lib/languages/markdown'),
  ]);
  const hljs = core.default;
  hljs.registerLanguage('python', python.default);
  hljs.registerLanguage('sql', sql.default);
  hljs.registerLanguage('markdown', markdown.default);
  ready = hljs;
  return hljs;
}

/** Resolves once highlighting is available; `highlight` then answers synchronously. */
export function loadHighlighter(): Promise<unknown> {
  loading ??= load();
  return loading;
}

/** The code as HTML, every token a `hljs-*` span and the text escaped by highlight.js; null until it has loaded. */
export function highlight(code: string, language: CellType): string | null {
  return ready ? ready.highlight(code, { language: LANGUAGES[language], ignoreIllegals: true }).value : null;
}
