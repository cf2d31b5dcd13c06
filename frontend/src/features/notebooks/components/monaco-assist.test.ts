import type { editor, languages } from 'monaco-editor/editor/editor.api';
import { describe, expect, it } from 'vitest';
import type { Assistant, Completions, Inspection } from '../model/assist-requests';
import { attachAssistant, codePointOffset, registerAssistProviders, utf16Offset } from './monaco-assist';

type Monaco = Parameters<typeof registerAssistProviders>[0];
const token = { isCancellationRequested: false, onCancellationRequested: () => ({ dispose: () => undefined }) };

/** A Monaco that records the providers registered with it. */
function fakeMonaco() {
  const providers = {
    completion: new Map<string, languages.CompletionItemProvider>(),
    hover: new Map<string, languages.HoverProvider>(),
    signatures: new Map<string, languages.SignatureHelpProvider>(),
  };
  const monaco = {
    languages: {
      CompletionItemKind: { Function: 1, Module: 8, Variable: 4, Field: 3, Struct: 21, Text: 18 },
      registerCompletionItemProvider: (language: string, provider: languages.CompletionItemProvider) =>
        providers.completion.set(language, provider),
      registerHoverProvider: (language: string, provider: languages.HoverProvider) => providers.hover.set(language, provider),
      registerSignatureHelpProvider: (language: string, provider: languages.SignatureHelpProvider) =>
        providers.signatures.set(language, provider),
    },
  } as unknown as Monaco;
  return { monaco, providers };
}

function registered<Provider>(providers: Map<string, Provider>, language: string): Provider {
  const provider = providers.get(language);
  if (!provider) throw new Error(`no provider for ${language}`);
  return provider;
}

/** A one-line model: positions are columns. */
function model(uri: string, code: string): editor.ITextModel {
  return {
    uri: { toString: () => uri },
    getValue: () => code,
    getOffsetAt: (position: { column: number }) => position.column - 1,
    getPositionAt: (offset: number) => ({ lineNumber: 1, column: offset + 1 }),
  } as unknown as editor.ITextModel;
}

function assistant(reply: { completions?: Completions; inspection?: Inspection }, asked: unknown[] = []): Assistant {
  return {
    complete: (code, cursor) => (asked.push({ code, cursor }), Promise.resolve(reply.completions ?? null)),
    inspect: (code, cursor) => (asked.push({ code, cursor }), Promise.resolve(reply.inspection ?? null)),
  };
}

const position = (column: number) => ({ lineNumber: 1, column }) as never;

describe('the kernel-backed Monaco providers', () => {
  it('counts code points for the kernel and UTF-16 units for Monaco', () => {
    const code = 's = "😀"; s.up';
    expect(codePointOffset(code, code.length)).toBe(code.length - 1);
    expect(utf16Offset(code, code.length - 1)).toBe(code.length);
  });

  it('turns completions into suggestions replacing what was typed, in the kernel order', async () => {
    const { monaco, providers } = fakeMonaco();
    registerAssistProviders(monaco);
    const code = '"😀"; math.fl';
    const asked: unknown[] = [];
    const completions: Completions = {
      type: 'completions',
      request_id: 0,
      cell_id: 'c1',
      start: 10,
      items: [
        { label: 'floor', kind: 'function', detail: 'def floor' },
        { label: 'fabs', kind: 'unknown-kind' },
      ],
      reason: null,
    };
    const attached = attachAssistant(model('cell://1', code), assistant({ completions }, asked));
    const list = await registered(providers.completion, 'python').provideCompletionItems(
      model('cell://1', code),
      position(code.length + 1),
      { triggerKind: 0 },
      token,
    );
    expect(asked).toEqual([{ code, cursor: 12 }]);
    const range = { startLineNumber: 1, startColumn: 12, endLineNumber: 1, endColumn: 14 };
    expect(list?.suggestions).toEqual([
      { label: 'floor', kind: 1, detail: 'def floor', insertText: 'floor', sortText: '00000', range },
      { label: 'fabs', kind: 18, insertText: 'fabs', sortText: '00001', range },
    ]);
    attached.dispose();
    expect(
      await registered(providers.completion, 'python').provideCompletionItems(model('cell://1', code), position(1), { triggerKind: 0 }, token),
    ).toBeNull();
  });

  it('shows docs as plain text under the signature, and the active parameter of a call', async () => {
    const { monaco, providers } = fakeMonaco();
    registerAssistProviders(monaco);
    const inspection: Inspection = {
      type: 'inspection',
      request_id: 0,
      cell_id: 'c1',
      docs: [{ name: 'floor', full_name: 'math.floor', kind: 'function', signatures: ['floor(x, /)'], doc: 'Return *the* floor.\nOf x.' }],
      signatures: [{ label: 'floor(x, /)', params: ['x', '/'], active: 0, doc: 'Return the floor.' }],
      reason: null,
    };
    attachAssistant(model('cell://2', 'math.floor('), assistant({ inspection }));
    const hover = await registered(providers.hover, 'python').provideHover(model('cell://2', 'math.floor('), position(8), token);
    expect(hover?.contents).toEqual([{ value: '```python\nfloor(x, /)\n```' }, { value: 'Return \\*the\\* floor\\.  \nOf x\\.' }]);
    const help = await registered(providers.signatures, 'python').provideSignatureHelp(
      model('cell://2', 'math.floor('),
      position(12),
      token,
      { triggerKind: 1, isRetrigger: false },
    );
    expect(help?.value).toEqual({
      signatures: [{ label: 'floor(x, /)', parameters: [{ label: 'x' }, { label: '/' }], documentation: 'Return the floor.' }],
      activeSignature: 0,
      activeParameter: 0,
    });
  });
});
