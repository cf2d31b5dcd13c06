import { lazy, Suspense } from 'react';
import type { CellType } from '../api/notebooks';
import { CodePreview } from './code-preview';

export interface CodeEditorProps {
  code: string;
  language: CellType;
  label: string;
  onChange: (code: string) => void;
  onRun: () => void;
  onBlur: () => void;
}

// Monaco is a large chunk: it loads when the first cell is opened for editing, not with the page.
const MonacoCodeEditor = lazy(() => import('./monaco-code-editor'));

export function CodeEditor(props: CodeEditorProps) {
  return (
    <Suspense
      fallback={<CodePreview code={props.code} language={props.language} label={props.label} onActivate={noop} onRun={props.onRun} />}
    >
      <MonacoCodeEditor {...props} />
    </Suspense>
  );
}

const noop = () => undefined;
