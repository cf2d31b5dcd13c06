import { useEffect, useState } from 'react';
import { highlight, loadHighlighter } from './code-highlight';
import type { CellType } from '../api/notebooks';

interface Props {
  code: string;
  language: CellType;
  label: string;
  onActivate: () => void;
}

const PLACEHOLDERS: Record<CellType, string> = { python: '# Python', sql: 'SELECT …', markdown: '# Markdown' };

/** The code of a cell whose editor is closed: highlighted text laid out like the editor (plain until the highlighter
 * has loaded), so a 500-cell notebook stays light. Clicking it opens the editor in its place; keys are the
 * notebook's command-mode shortcuts (Enter edits). */
export function CodePreview({ code, language, label, onActivate }: Props) {
  const [, setLoaded] = useState(false);
  const html = code ? highlight(code, language) : null;
  useEffect(() => {
    if (code && html === null) void loadHighlighter().then(() => setLoaded(true));
  }, [code, html]);
  // highlight.js escapes the code: the HTML holds only its own spans.
  return (
    <pre
      className="code-preview"
      role="button"
      tabIndex={0}
      aria-label={label}
      data-language={language}
      onClick={onActivate}
      data-highlighted={html !== null}
      dangerouslySetInnerHTML={html === null ? undefined : { __html: html }}
    >
      {html === null ? code || <span className="placeholder">{PLACEHOLDERS[language]}</span> : undefined}
    </pre>
  );
}
