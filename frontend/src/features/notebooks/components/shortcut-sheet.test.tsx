import { render, screen, within } from '@testing-library/react';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHORTCUTS } from '../model/shortcuts';
import { ShortcutSheet } from './shortcut-sheet';

// jsdom has <dialog> but not its modal API.
beforeAll(() => {
  HTMLDialogElement.prototype.showModal = function showModal(this: HTMLDialogElement) {
    this.open = true;
  };
});
afterAll(() => {
  Reflect.deleteProperty(HTMLDialogElement.prototype, 'showModal');
});

describe('ShortcutSheet', () => {
  it('lists every shortcut of the table with its keys as users read them', () => {
    render(<ShortcutSheet onClose={() => undefined} />);
    const sheet = screen.getByRole('dialog', { name: 'Keyboard shortcuts' });
    const rows = within(sheet).getAllByRole<HTMLTableRowElement>('row').slice(1);
    expect(rows).toHaveLength(SHORTCUTS.length);
    expect(rows.map((row) => row.cells[0]?.textContent)).toContain('↑ or k');
    expect(rows.map((row) => row.cells[2]?.textContent)).toEqual(SHORTCUTS.map((shortcut) => shortcut.description));
  });
});
