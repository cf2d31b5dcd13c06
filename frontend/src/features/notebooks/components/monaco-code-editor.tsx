import Editor, { type OnMount } from '@monaco-editor/react';
import { useRef, useState } from 'react';
import { FONT_FAMILY, monaco, THEMES } from '../../../lib/monaco';
import { useTheme } from '../../../lib/use-theme';
import type { CodeEditorProps } from './code-editor';

const LINE_HEIGHT = 19;
const PADDING = 8;
const LANGUAGES = { python: 'python', sql: 'pgsql', markdown: 'markdown' } as const;

/** The Monaco editor of the active cell: grows with its content, Shift+Enter runs the cell. */
export default function MonacoCodeEditor({ code, language, label, onChange, onRun, onBlur }: CodeEditorProps) {
  const { theme } = useTheme();
  const [height, setHeight] = useState(() => Math.max(1, code.split('\n').length) * LINE_HEIGHT + 2 * PADDING);
  // Monaco keeps the callbacks it was given at mount: these refs always point at the current ones.
  const callbacks = useRef({ onRun, onBlur });
  callbacks.current = { onRun, onBlur };

  const onMount: OnMount = (editor) => {
    editor.onDidContentSizeChange((event) => setHeight(event.contentHeight));
    editor.addAction({
      id: 'notebook.runCell',
      label: 'Run cell',
      keybindings: [monaco.KeyMod.Shift | monaco.KeyCode.Enter],
      run: () => callbacks.current.onRun(),
    });
    editor.onDidBlurEditorText(() => callbacks.current.onBlur());
    editor.focus();
    const model = editor.getModel();
    if (model) editor.setPosition(model.getFullModelRange().getEndPosition());
  };

  return (
    <div className="code-editor" aria-label={label} data-testid="monaco-editor">
      <Editor
        value={code}
        language={LANGUAGES[language]}
        theme={THEMES[theme]}
        height={height}
        onChange={(value) => onChange(value ?? '')}
        onMount={onMount}
        loading={null}
        options={{
          minimap: { enabled: false },
          scrollBeyondLastLine: false,
          scrollbar: { vertical: 'hidden', alwaysConsumeMouseWheel: false },
          overviewRulerLanes: 0,
          lineNumbers: 'off',
          folding: false,
          glyphMargin: false,
          lineDecorationsWidth: 8,
          renderLineHighlight: 'none',
          fontSize: 13,
          fontFamily: FONT_FAMILY,
          lineHeight: LINE_HEIGHT,
          padding: { top: PADDING, bottom: PADDING },
          automaticLayout: true,
          wordWrap: 'on',
          tabSize: 4,
          ariaLabel: label,
        }}
      />
    </div>
  );
}
