import { describe, expect, it } from 'vitest';
import { editingWarning, NOBODY, presenceView } from './presence';

const alice = { id: 'alice@example.com', name: 'Alice Example', cell_ids: ['a'] };
const bob = { id: 'bob@example.com', name: 'Bob Example', cell_ids: ['a', 'b'] };
const carol = { id: 'carol@example.com', name: 'Carol Example', cell_ids: [] };

describe('presenceView', () => {
  it('leaves this person out and groups the others by the cells they edit', () => {
    const view = presenceView([alice, bob, carol], 'alice@example.com');
    expect(view.others.map((person) => person.name)).toEqual(['Bob Example', 'Carol Example']);
    expect(view.byCell.get('a')).toEqual([bob]);
    expect(view.byCell.get('b')).toEqual([bob]);
    expect(view.byCell.has('c')).toBe(false);
  });

  it('counts a person editing a cell in two tabs once', () => {
    const view = presenceView([{ ...bob, cell_ids: ['a', 'a'] }], null);
    expect(view.byCell.get('a')).toEqual([{ ...bob, cell_ids: ['a', 'a'] }]);
  });

  it("keeps a cell's list of editors when it did not change, so the cell does not render again", () => {
    const first = presenceView([alice, bob], 'me');
    const second = presenceView([alice, { ...bob, cell_ids: ['b'] }, carol], 'me', first);
    expect(second.byCell.get('b')).toBe(first.byCell.get('b'));
    expect(second.byCell.get('a')).not.toBe(first.byCell.get('a'));
    expect(second.byCell.get('a')).toEqual([alice]);
  });

  it('is nobody before the server says who is here', () => {
    expect(presenceView([], 'me')).toEqual(NOBODY);
  });
});

describe('editingWarning', () => {
  it('names who else edits the cell', () => {
    expect(editingWarning([])).toBeNull();
    expect(editingWarning([bob])).toBe('Bob Example is editing this cell too');
    expect(editingWarning([alice, bob, carol])).toBe('Alice Example, Bob Example and Carol Example are editing this cell too');
  });
});
