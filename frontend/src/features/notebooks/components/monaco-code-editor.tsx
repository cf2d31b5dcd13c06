import Editor, { type OnMount } from '@monaco-editor/react';
import { useRef, useState } from 'react';
import { FONT_FAMILY, monaco, THEMES } from '../../../lib/monaco';
import { useTheme } from '../../../lib/use-theme';
import { VIEW_ONLY_NOTICE } from '../model/roles';
import { type Command, SHORTCUTS } from '../model/shortcuts';
import type { CodeEditorProps } from './code-editor';
import { attachAssistant, registerAssistProviders } from './monaco-assist';

const LINE_HEIGHT = 19;
const PADDING = 8;
const LANGUAGES = { python: 'python', sql: 'pgsql', markdown: 'markdown' } as const;
const KEYBINDINGS: Record<string, number> = {
  'Shift+Enter': monaco.KeyMod.Shift | monaco.KeyCode.Enter,
  'Mod+Enter': monaco.KeyMod.CtrlCmd | monaco.KeyCode.Enter,
  Escape: monaco.KeyCode.Escape,
};
// Escape closes Monaco's own widgets first; the other keys act even with the suggestion list open.
const PRECONDITIONS: Partial<Record<Command, string>> = {
  commandMode: '!suggestWidgetVisible && !findWidgetVisible && !parameterHintsVisible && !renameInputVisible',
};

function keybinding(chord: string): number {
  const code = KEYBINDINGS[chord];
  if (code === undefined) throw new Error(`the editor has no keybinding for the shortcut ${chord}: add it to KEYBINDINGS`);
  return code;
}

/** The Monaco editor of the active cell: grows with its content; the edit-mode shortcuts run the cell or leave. */
export default function MonacoCodeEditor({
  code,
  language,
  label,
  onChange,
  onCommand,
  onBlur,
  onFocus,
  readOnly = false,
  assistant,
}: CodeEditorProps) {
  const { theme } = useTheme();
  const [height, setHeight] = useState(() => Math.max(1, code.split('\n').length) * LINE_HEIGHT + 2 * PADDING);
  // Monaco keeps the callbacks it was given at mount: these refs always point at the current ones.
  const callbacks = useRef({ onCommand, onBlur, onFocus, assistant });
  callbacks.current = { onCommand, onBlur, onFocus, assistant };

  const onMount: OnMount = (editor) => {
    editor.onDidContentSizeChange((event) => setHeight(event.contentHeight));
    registerAssistProviders(monaco);
    const model = editor.getModel();
    if (model) {
      const attached = attachAssistant(model, {
        complete: (...request) => callbacks.current.assistant?.complete(...request) ?? Promise.resolve(null),
        inspect: (...request) => callbacks.current.assistant?.inspect(...request) ?? Promise.resolve(null),
      });
      editor.onDidDispose(() => attached.dispose());
    }
    for (const shortcut of SHORTCUTS) {
      if (!shortcut.modes.includes('edit')) continue;
      editor.addAction({
        id: `notebook.${shortcut.command}`,
        label: shortcut.description,
        keybindings: shortcut.keys.map(keybinding),
        ...(PRECONDITIONS[shortcut.command] ? { precondition: PRECONDITIONS[shortcut.command] } : {}),
        run: () => {
          // Running or leaving the cell closes the suggestions and hints it no longer needs.
          editor.trigger('notebook', 'hideSuggestWidget', null);
          editor.trigger('notebook', 'closeParameterHints', null);
          callbacks.current.onCommand(shortcut.command);
        },
      });
    }
    editor.onDidBlurEditorText(() => callbacks.current.onBlur());
    editor.onDidFocusEditorText(() => callbacks.current.onFocus?.());
    editor.focus();
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
          readOnly,
          // What Monaco shows when a viewer types: the same words as the notebook's notice.
          readOnlyMessage: { value: VIEW_ONLY_NOTICE },
          // Suggestions come from the kernel. As they show up while typing, none is picked until the user picks one
          // (arrow keys, mouse): until then Enter starts a new line and Tab indents ('never' affects only those).
          wordBasedSuggestions: 'off',
          acceptSuggestionOnEnter: 'on',
          suggest: { selectionMode: 'never' },
        }}
      />
    </div>
  );
}
