// The server names cells `<cell ID>` in error texts, static errors and tracebacks, printed ones included (docs/API.md):
// the page shows the label the user sees instead, which follows the cell when it moves.
const REFERENCE = /File "<cell ([\w-]+)>"|<cell ([\w-]+)>/g;

export function labelCellReferences(text: string, labelOf: (cellId: string) => string): string {
  return text.replace(REFERENCE, (_match, framed: string | undefined, bare: string | undefined) =>
    framed === undefined ? labelOf(bare ?? '') : `Cell ${labelOf(framed)}`,
  );
}
