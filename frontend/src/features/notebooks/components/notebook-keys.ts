// The keyboard model of Jupyter and marimo: commands from a cell's editor (edit mode) or from a selected cell
// (command mode: the cell's <article> or its closed code has the focus). The keys are in model/shortcuts.ts.
import { type KeyboardEvent, useCallback, useRef, useState } from 'react';
import type { NotebookSession } from '../model/notebook-session';
import { CHANGING_COMMANDS } from '../model/roles';
import { chordOf, type Command, commandFor } from '../model/shortcuts';

/** Selects a cell in command mode (its outline shows the focus). */
export function focusCell(cellId: string | undefined): void {
  if (!cellId) return;
  for (const article of document.querySelectorAll<HTMLElement>('article.cell')) {
    if (article.dataset.cellId === cellId) article.focus();
  }
}

/** Selects a cell that the next renders put in the page. */
function focusWhenShown(cellId: string | undefined, frames = 30): void {
  if (!cellId) return;
  focusCell(cellId);
  const focused = document.activeElement instanceof HTMLElement && document.activeElement.dataset.cellId === cellId;
  if (!focused && frames > 0) requestAnimationFrame(() => focusWhenShown(cellId, frames - 1));
}

export function useNotebookKeys(session: NotebookSession | null) {
  const [sheetOpen, setSheetOpen] = useState(false);
  const previousChord = useRef<string | null>(null);

  // Reads the notebook when a key is pressed, so the callback stays the same and cells do not render again.
  const onCommand = useCallback(
    (cellId: string, command: Command) => {
      const notebook = session?.getSnapshot().notebook;
      if (!session || !notebook) return;
      if (!session.editable && CHANGING_COMMANDS.has(command)) {
        session.explainViewOnly();
        return;
      }
      const { order } = notebook;
      const index = order.indexOf(cellId);
      // A markdown cell never runs: running it shows it rendered.
      const markdown = notebook.cells[cellId]?.type === 'markdown';
      const leave = () => {
        void session.flush(cellId);
        session.deactivate(cellId);
      };
      switch (command) {
        case 'runAndAdvance':
          if (markdown) leave();
          else void session.run(cellId);
          if (index === order.length - 1) {
            void session.addCell('python', null);
          } else {
            session.deactivate(cellId);
            focusCell(order[index + 1]);
          }
          return;
        case 'runInPlace':
          if (!markdown) {
            void session.run(cellId);
            return;
          }
          leave();
          focusCell(cellId);
          return;
        case 'commandMode':
          leave();
          focusCell(cellId);
          return;
        case 'edit':
          session.activate(cellId);
          return;
        case 'previous':
          focusCell(order[index - 1]);
          return;
        case 'next':
          focusCell(order[index + 1]);
          return;
        case 'insertAbove':
        case 'insertBelow':
          // As in Jupyter: the new cell is selected, still in command mode (Enter opens its editor).
          void session
            .insertCell('python', command === 'insertAbove' ? index : index + 1, { open: false })
            .then((created) => focusWhenShown(created));
          return;
        case 'delete':
          focusCell(order[index + 1] ?? order[index - 1]);
          void session.deleteCell(cellId);
          return;
        case 'undoDelete':
          void session.undoDelete();
          return;
        case 'help':
          setSheetOpen(true);
          return;
      }
    },
    [session],
  );

  /** On the list of cells: keys pressed on a selected cell, not while typing in an editor or a field. */
  const onKeyDown = (event: KeyboardEvent<HTMLElement>) => {
    if (event.defaultPrevented || !(event.target instanceof HTMLElement)) return;
    const article = event.target.closest<HTMLElement>('article.cell');
    const cellId = article?.dataset.cellId;
    if (!cellId || (event.target !== article && !event.target.matches('.code-preview, .markdown-cell'))) return;
    const chord = chordOf(event);
    const command = commandFor(chord, previousChord.current);
    previousChord.current = command === 'pending' ? chord : null;
    if (command === null || command === 'pending') return;
    event.preventDefault();
    onCommand(cellId, command);
  };

  return { onCommand, onKeyDown, sheetOpen, openSheet: () => setSheetOpen(true), closeSheet: () => setSheetOpen(false) };
}
