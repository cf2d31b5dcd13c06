// Who else has the notebook open and which cells they edit, from the server's presence messages.
import type { Schema } from '@notebook-ship/api-schema';

export type Person = Schema<'Person'>;

export interface PresenceView {
  /** Everyone else with the notebook open (this person, in any tab, is left out). */
  others: Person[];
  /** The others editing each cell. */
  byCell: ReadonlyMap<string, Person[]>;
}

export const NOBODY: PresenceView = { others: [], byCell: new Map() };

/**
 * The people of a presence message as the page shows them; `selfId` is the signed-in person (null: unknown). A cell
 * whose editors did not change keeps the list of `previous`, so its memoised component does not render again.
 */
export function presenceView(people: readonly Person[], selfId: string | null, previous: PresenceView = NOBODY): PresenceView {
  const others = people.filter((person) => person.id !== selfId);
  const byCell = new Map<string, Person[]>();
  for (const person of others) {
    for (const cellId of new Set(person.cell_ids)) byCell.set(cellId, [...(byCell.get(cellId) ?? []), person]);
  }
  for (const [cellId, editors] of byCell) {
    const before = previous.byCell.get(cellId);
    if (before && samePeople(before, editors)) byCell.set(cellId, before);
  }
  return { others, byCell };
}

/** "Bob Example is editing this cell too"; with more people, "Bob Example and Carol Example are …". */
export function editingWarning(editors: readonly Person[]): string | null {
  if (!editors.length) return null;
  const names = editors.map((person) => person.name);
  const who = names.length === 1 ? names[0] : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;
  return `${who} ${names.length === 1 ? 'is' : 'are'} editing this cell too`;
}

function samePeople(a: readonly Person[] | undefined, b: readonly Person[] | undefined): boolean {
  if (a === b) return true;
  if (!a || !b || a.length !== b.length) return false;
  return a.every((person, index) => person.id === b[index]?.id && person.name === b[index]?.name);
}
