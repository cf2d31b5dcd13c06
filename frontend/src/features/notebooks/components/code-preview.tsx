import { type KeyboardEvent, useEffect, useState } from 'react';
import { highlight, loadHighlighter } from './code-highlight';
import type { CellType } from '../api/notebooks';

interface Props {
  code: string;
  language: CellType;
  label: string;
  onActivate: () => void;
  onRun: () => void;
}

const PLACEHOLDERS: Record<CellType, string> = { python: '# Python', sql: 'SELECT …', markdown: '# Markdown' };

/** The code of a cell whose editor is closed: highlighted text laid out like the editor (plain until the highlighter
 * has loaded), so a 500-cell notebook stays light. Focusing or clicking it opens the editor in its place. */
export function CodePreview({ code, language, label, onActivate, onRun }: Props) {
  const [, setLoaded] = useState(false);
  const html = code ? highlight(code, language) : null;
  useEffect(() => {
    if (code && html === null) void loadHighlighter().then(() => setLoaded(true));
  }, [code, html]);
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault();
      onRun();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onActivate();
    }
  };
  // highlight.js escapes the code: the HTML holds only its own spans.
  return (
    <pre
      className="code-preview"
      role="button"
      tabIndex={0}
      aria-label={label}
      data-language={language}
      onClick={onActivate}
      onKeyDown={onKeyDown}
      data-highlighted={html !== null}
      dangerouslySetInnerHTML={html === null ? undefined : { __html: html }}
    >
      {html === null ? code || <span className="placeholder">{PLACEHOLDERS[language]}</span> : undefined}
    </pre>
  );
}
