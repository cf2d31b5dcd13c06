import { describe, expect, it } from 'vitest';
import { chordOf, commandFor, displayKeys, SHORTCUTS } from './shortcuts';

const press = (key: string, modifiers: Partial<{ shiftKey: boolean; ctrlKey: boolean; metaKey: boolean; altKey: boolean }> = {}) =>
  chordOf({ key, shiftKey: false, ctrlKey: false, metaKey: false, altKey: false, ...modifiers });

describe('shortcuts', () => {
  it('spells chords with Mod for Ctrl and ⌘, and printed characters as typed', () => {
    expect(press('Enter', { shiftKey: true })).toBe('Shift+Enter');
    expect(press('Enter', { ctrlKey: true })).toBe('Mod+Enter');
    expect(press('Enter', { metaKey: true })).toBe('Mod+Enter');
    expect(press('?', { shiftKey: true })).toBe('?');
    expect(press('A', { shiftKey: true })).toBe('A');
    expect(press('a', { ctrlKey: true })).toBe('Mod+a');
  });

  it('maps command-mode keys to commands, d d as a pair', () => {
    expect(commandFor('a', null)).toBe('insertAbove');
    expect(commandFor('b', 'd')).toBe('insertBelow');
    expect(commandFor('k', null)).toBe('previous');
    expect(commandFor('ArrowDown', null)).toBe('next');
    expect(commandFor('Shift+Enter', null)).toBe('runAndAdvance');
    expect(commandFor('Mod+Enter', null)).toBe('runInPlace');
    expect(commandFor('?', null)).toBe('help');
    expect(commandFor('z', null)).toBe('undoDelete');
    expect(commandFor('d', null)).toBe('pending');
    expect(commandFor('d', 'd')).toBe('delete');
    expect(commandFor('d', 'a')).toBe('pending');
    // Edit-mode keys and Shift+a do nothing in command mode; Mod+a is the browser's.
    expect(commandFor('Escape', null)).toBeNull();
    expect(commandFor('A', null)).toBeNull();
    expect(commandFor('Mod+a', null)).toBeNull();
  });

  it('gives every command one entry and every key one command per mode', () => {
    expect(new Set(SHORTCUTS.map((shortcut) => shortcut.command)).size).toBe(SHORTCUTS.length);
    for (const mode of ['edit', 'command'] as const) {
      const keys = SHORTCUTS.filter((shortcut) => shortcut.modes.includes(mode)).flatMap((shortcut) => shortcut.keys);
      expect(new Set(keys).size).toBe(keys.length);
    }
  });

  it('shows keys the way users read them', () => {
    expect(displayKeys('Mod+Enter')).toBe('Ctrl/⌘+Enter');
    expect(displayKeys('Escape')).toBe('Esc');
    expect(displayKeys('ArrowUp')).toBe('↑');
  });
});
