import type { KeyboardEvent, MouseEvent } from 'react';
import { MarkdownView } from './rich-output';

interface Props {
  markdown: string;
  label: string;
  onActivate: () => void;
}

/** A markdown cell whose editor is closed: its text rendered (and sanitized) as a markdown output is. Clicking it,
 * or Enter on it, opens the editor in its place; a click on a link follows the link instead. */
export function MarkdownPreview({ markdown, label, onActivate }: Props) {
  const onClick = (event: MouseEvent) => {
    if (!(event.target instanceof Element && event.target.closest('a'))) onActivate();
  };
  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'Enter' && event.target === event.currentTarget) {
      event.preventDefault();
      onActivate();
    }
  };
  return (
    <div className="markdown-cell" tabIndex={0} aria-label={label} onClick={onClick} onKeyDown={onKeyDown}>
      {markdown.trim() ? (
        <MarkdownView markdown={markdown} />
      ) : (
        <p className="placeholder">Empty markdown cell: click to write.</p>
      )}
    </div>
  );
}
