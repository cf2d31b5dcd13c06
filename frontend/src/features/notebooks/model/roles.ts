// What each role may do in the page (the server decides; the page hides what would be refused).
import type { Role } from '../api/notebooks';
import type { Command } from './shortcuts';

/** Change cells, run them, rename, restore a version, set the database and kernel size. */
export const mayEdit = (role: Role): boolean => role !== 'viewer';

/** Choose who else may read or edit. Admins are the owner of every notebook. */
export const mayShare = (role: Role): boolean => role === 'owner';

/** Delete the notebook: its owner's (or an admin's) decision alone. */
export const mayDelete = (role: Role): boolean => role === 'owner';

/** The shortcuts that change the notebook or run something: refused, with a word why, for a viewer. */
export const CHANGING_COMMANDS: ReadonlySet<Command> = new Set<Command>([
  'runAndAdvance',
  'runInPlace',
  'insertAbove',
  'insertBelow',
  'delete',
  'undoDelete',
]);

export const VIEW_ONLY_NOTICE = 'View only: you can read this notebook and its outputs, but not change or run it.';

export function viewOnlyBanner(owner: string | null): string {
  return `View only: ${owner ?? 'its owner'} shared this notebook with you as a viewer`;
}
