import { lazy, Suspense } from 'react';
import type { CellType } from '../api/notebooks';
import type { Assistant } from '../model/assist-requests';
import type { Command } from '../model/shortcuts';
import { CodePreview } from './code-preview';

export interface CodeEditorProps {
  code: string;
  language: CellType;
  label: string;
  onChange: (code: string) => void;
  /** An edit-mode shortcut was pressed (see model/shortcuts.ts). */
  onCommand: (command: Command) => void;
  onBlur: () => void;
  /** The editor got the focus: this person now edits the cell (presence). */
  onFocus?: () => void;
  /** A viewer's editor: the code can be read, selected and copied, not changed. */
  readOnly?: boolean;
  /** Completion, hover docs and signature help for the cell's code. */
  assistant?: Assistant;
}

// Monaco is a large chunk: it loads when the first cell is opened for editing, not with the page.
const MonacoCodeEditor = lazy(() => import('./monaco-code-editor'));

export function CodeEditor(props: CodeEditorProps) {
  return (
    <Suspense
      fallback={<CodePreview code={props.code} language={props.language} label={props.label} onActivate={noop} />}
    >
      <MonacoCodeEditor {...props} />
    </Suspense>
  );
}

const noop = () => undefined;
