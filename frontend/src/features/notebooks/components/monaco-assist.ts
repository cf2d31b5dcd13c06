// Monaco's completion, hover and signature-help providers, answered by the kernel (see model/assist-requests.ts).
// Providers are registered per language for every editor; each mounted cell editor attaches its model to the
// assistant of its cell.
import type { editor, IDisposable, IMarkdownString, languages, Position } from 'monaco-editor/editor/editor.api';
import type { Assistant, Completions, Inspection } from '../model/assist-requests';

type Monaco = typeof import('monaco-editor/editor/editor.api');

const assistants = new Map<string, Assistant>(); // by model URI

/** Requests for `model` go to `assistant` until the returned disposable is disposed. */
export function attachAssistant(model: editor.ITextModel, assistant: Assistant): IDisposable {
  const key = model.uri.toString();
  assistants.set(key, assistant);
  return { dispose: () => void (assistants.get(key) === assistant && assistants.delete(key)) };
}

/** The kernel counts code points; Monaco's offsets count UTF-16 units. */
export function codePointOffset(text: string, utf16Offset: number): number {
  return [...text.slice(0, utf16Offset)].length;
}

export function utf16Offset(text: string, codePoints: number): number {
  let offset = 0;
  for (const char of text) {
    if (codePoints-- <= 0) break;
    offset += char.length;
  }
  return offset;
}

function ask(model: editor.ITextModel, position: Position): { assistant: Assistant; code: string; cursor: number } | null {
  const assistant = assistants.get(model.uri.toString());
  if (!assistant) return null;
  const code = model.getValue();
  return { assistant, code, cursor: codePointOffset(code, model.getOffsetAt(position)) };
}

export function completionList(
  monaco: Monaco,
  model: editor.ITextModel,
  code: string,
  cursor: number,
  reply: Completions,
): languages.CompletionList {
  const kinds = monaco.languages.CompletionItemKind;
  const kindOf: Record<string, languages.CompletionItemKind> = {
    module: kinds.Module,
    class: kinds.Class,
    function: kinds.Function,
    instance: kinds.Variable,
    statement: kinds.Variable,
    param: kinds.Variable,
    property: kinds.Property,
    keyword: kinds.Keyword,
    path: kinds.File,
    table: kinds.Struct,
    column: kinds.Field,
  };
  const end = model.getPositionAt(utf16Offset(code, cursor));
  const start = model.getPositionAt(utf16Offset(code, reply.start));
  return {
    suggestions: reply.items.map((item, index) => ({
      label: item.label,
      kind: kindOf[item.kind] ?? kinds.Text,
      ...(item.detail ? { detail: item.detail } : {}),
      insertText: item.label,
      // The kernel's order (Jedi ranks by scope and relevance), not Monaco's alphabetical one.
      sortText: String(index).padStart(5, '0'),
      range: { startLineNumber: start.lineNumber, startColumn: start.column, endLineNumber: end.lineNumber, endColumn: end.column },
    })),
  };
}

/** Docstrings are plain text: shown as such, not as markdown. */
function escapeMarkdown(text: string): string {
  return text.replace(/[\\`*_{}[\]()#+\-.!|<>~]/g, '\\$&').replace(/\n/g, '  \n');
}

export function hoverContents(reply: Inspection): IMarkdownString[] {
  return reply.docs.flatMap((doc) => {
    const heading = doc.signatures.length ? doc.signatures.join('\n') : `${doc.kind} ${doc.full_name ?? doc.name}`;
    const parts: IMarkdownString[] = [{ value: '```python\n' + heading + '\n```' }];
    const text = doc.doc.trim();
    if (text) parts.push({ value: escapeMarkdown(text) });
    return parts;
  });
}

export function signatureHelp(reply: Inspection): languages.SignatureHelp | null {
  const [first] = reply.signatures;
  if (!first) return null;
  return {
    signatures: reply.signatures.map((signature) => ({
      label: signature.label,
      parameters: signature.params.map((label) => ({ label })),
      ...(signature.doc ? { documentation: signature.doc } : {}),
    })),
    activeSignature: 0,
    activeParameter: first.active ?? 0,
  };
}

const registered = new WeakSet<Monaco>();

/** Registers the providers once per Monaco instance. */
export function registerAssistProviders(monaco: Monaco): void {
  if (registered.has(monaco)) return;
  registered.add(monaco);
  const completion = (triggerCharacters: string[]): languages.CompletionItemProvider => ({
    triggerCharacters,
    provideCompletionItems: async (model, position, _context, token) => {
      const request = ask(model, position);
      const reply = request && (await request.assistant.complete(request.code, request.cursor, token));
      return reply && completionList(monaco, model, request.code, request.cursor, reply);
    },
  });
  monaco.languages.registerCompletionItemProvider('python', completion(['.']));
  monaco.languages.registerCompletionItemProvider('pgsql', completion(['.']));
  monaco.languages.registerHoverProvider('python', {
    provideHover: async (model, position, token) => {
      const request = ask(model, position);
      const reply = request && (await request.assistant.inspect(request.code, request.cursor, token));
      const contents = reply ? hoverContents(reply) : [];
      return contents.length ? { contents } : null;
    },
  });
  monaco.languages.registerSignatureHelpProvider('python', {
    signatureHelpTriggerCharacters: ['(', ','],
    signatureHelpRetriggerCharacters: [')'],
    provideSignatureHelp: async (model, position, token) => {
      const request = ask(model, position);
      const reply = request && (await request.assistant.inspect(request.code, request.cursor, token));
      const help = reply && signatureHelp(reply);
      return help && { value: help, dispose: () => undefined };
    },
  });
}
