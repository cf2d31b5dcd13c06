// The notebook's keyboard shortcuts, in one table: the editor's keybindings, the command-mode key handler and the
// shortcut sheet (`?`) are all made from it.

export type Command =
  | 'runAndAdvance'
  | 'runInPlace'
  | 'commandMode'
  | 'edit'
  | 'previous'
  | 'next'
  | 'insertAbove'
  | 'insertBelow'
  | 'delete'
  | 'undoDelete'
  | 'help';

/** Edit: typing in a cell's editor. Command: a cell is selected (outlined), keys act on cells. */
export type Mode = 'edit' | 'command';

export interface Shortcut {
  command: Command;
  modes: readonly Mode[];
  /** Chords as `chordOf` spells them (`Mod` is Ctrl, or ⌘ on a Mac); `d d` is d pressed twice. */
  keys: readonly string[];
  description: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { command: 'runAndAdvance', modes: ['edit', 'command'], keys: ['Shift+Enter'], description: 'Run the cell and go to the next one (a new cell after the last)' },
  { command: 'runInPlace', modes: ['edit', 'command'], keys: ['Mod+Enter'], description: 'Run the cell and stay on it' },
  { command: 'commandMode', modes: ['edit'], keys: ['Escape'], description: 'Leave the editor; the cell stays selected' },
  { command: 'edit', modes: ['command'], keys: ['Enter'], description: 'Edit the selected cell' },
  { command: 'previous', modes: ['command'], keys: ['ArrowUp', 'k'], description: 'Select the cell above' },
  { command: 'next', modes: ['command'], keys: ['ArrowDown', 'j'], description: 'Select the cell below' },
  { command: 'insertAbove', modes: ['command'], keys: ['a'], description: 'Insert a Python cell above' },
  { command: 'insertBelow', modes: ['command'], keys: ['b'], description: 'Insert a Python cell below' },
  { command: 'delete', modes: ['command'], keys: ['d d'], description: 'Delete the selected cell' },
  { command: 'undoDelete', modes: ['command'], keys: ['z'], description: 'Bring back the last deleted cell' },
  { command: 'help', modes: ['command'], keys: ['?'], description: 'Show these shortcuts' },
];

export interface KeyLike {
  key: string;
  shiftKey: boolean;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
}

/** A key press as the table spells it: `a`, `?`, `Shift+Enter`, `Mod+Enter`. A printed character carries its Shift. */
export function chordOf(event: KeyLike): string {
  const mod = event.ctrlKey || event.metaKey;
  const printable = event.key.length === 1;
  const parts = [mod && 'Mod', event.altKey && 'Alt', event.shiftKey && !printable && 'Shift', event.key];
  return parts.filter(Boolean).join('+');
}

/** The command of a command-mode key press; `pending` after the first key of a two-key shortcut. */
export function commandFor(chord: string, previousChord: string | null): Command | 'pending' | null {
  for (const shortcut of SHORTCUTS) {
    if (!shortcut.modes.includes('command')) continue;
    for (const keys of shortcut.keys) {
      const [first, second] = keys.split(' ');
      if (second === undefined ? chord === first : previousChord === first && chord === second) return shortcut.command;
    }
  }
  return SHORTCUTS.some((shortcut) => shortcut.modes.includes('command') && shortcut.keys.some((keys) => keys.startsWith(`${chord} `)))
    ? 'pending'
    : null;
}

/** How the sheet shows a chord: Mod as Ctrl/⌘, a two-key shortcut as `d d`. */
export function displayKeys(keys: string): string {
  return keys.replace('Mod', 'Ctrl/⌘').replace('ArrowUp', '↑').replace('ArrowDown', '↓').replace('Escape', 'Esc');
}
