import type { KeyboardEvent } from 'react';
import type { CellType } from '../api/notebooks';

interface Props {
  code: string;
  language: CellType;
  label: string;
  onActivate: () => void;
  onRun: () => void;
}

const PLACEHOLDERS: Record<CellType, string> = { python: '# Python', sql: 'SELECT …', markdown: '# Markdown' };

/** The code of a cell whose editor is closed: plain text, laid out like the editor, so a 500-cell notebook stays
 * light. Focusing or clicking it opens the editor in its place. */
export function CodePreview({ code, language, label, onActivate, onRun }: Props) {
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.shiftKey) {
      event.preventDefault();
      onRun();
    } else if (event.key === 'Enter') {
      event.preventDefault();
      onActivate();
    }
  };
  return (
    <pre
      className="code-preview"
      role="button"
      tabIndex={0}
      aria-label={label}
      data-language={language}
      onClick={onActivate}
      onKeyDown={onKeyDown}
    >
      {code || <span className="placeholder">{PLACEHOLDERS[language]}</span>}
    </pre>
  );
}
