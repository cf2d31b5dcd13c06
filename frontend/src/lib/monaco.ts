// Monaco from this bundle, never from a CDN: @monaco-editor/react's loader is handed this instance, and the one
// worker the editor needs is built by Vite. Only the editor features a notebook cell uses are imported, and the
// Python, PostgreSQL and markdown tokenizers (no language servers, so no language workers: completion, hover and
// signature help come from the kernel, see features/notebooks/components/monaco-assist.ts). This module is loaded
// lazily.
import { loader } from '@monaco-editor/react';
import * as monaco from 'monaco-editor/editor/editor.api';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import 'monaco-editor/features/codeEditor/register';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/editor/browser/coreCommands';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/comment/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/cursorUndo/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/hover/register';
import 'monaco-editor/features/indentation/register';
import 'monaco-editor/features/linesOperations/register';
import 'monaco-editor/features/multicursor/register';
import 'monaco-editor/features/parameterHints/register';
import 'monaco-editor/features/placeholderText/register';
import 'monaco-editor/features/tokenization/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/wordOperations/register';
import 'monaco-editor/editor/contrib/suggest/browser/suggestController';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/pgsql/register';
import 'monaco-editor/languages/definitions/markdown/register';

self.MonacoEnvironment = { getWorker: () => new EditorWorker() };
loader.config({ monaco });

/** Monaco's themes on the background of the code previews (--code-bg), so opening a cell does not flash. */
export const THEMES = { light: 'notebook', dark: 'notebook-dark' } as const;
monaco.editor.defineTheme(THEMES.light, { base: 'vs', inherit: true, rules: [], colors: { 'editor.background': '#fbfbfc' } });
monaco.editor.defineTheme(THEMES.dark, { base: 'vs-dark', inherit: true, rules: [], colors: { 'editor.background': '#1b1f27' } });

/** The same stack as --mono in styles.css. */
export const FONT_FAMILY = "ui-monospace, 'SFMono-Regular', Menlo, Consolas, 'DejaVu Sans Mono', monospace";

export { monaco };
