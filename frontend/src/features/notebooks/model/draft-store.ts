// Code typed but not yet acknowledged by the server, kept in the browser so that a reload, a crash or a closed tab
// loses none of it: the next page of the notebook sends it again.
import type { CellType } from '../api/notebooks';

export interface StoredDraft {
  code: string;
  /** The cell's revision the draft was written over (see CellLocal.base). */
  base?: number;
  /** To re-create the cell with its text if it was deleted elsewhere meanwhile. */
  type: CellType;
}

export interface DraftStore {
  load(): Record<string, StoredDraft>;
  save(drafts: Record<string, StoredDraft>): void;
}

const CELL_TYPES: readonly string[] = ['python', 'sql', 'markdown'] satisfies CellType[];

/** Drafts in localStorage, one entry per notebook; an unreadable entry (another version, edited by hand) is ignored. */
export function browserDrafts(notebookId: string, storage: Storage = globalThis.localStorage): DraftStore {
  const key = `notebook-drafts:${notebookId}`;
  return {
    load() {
      let parsed: unknown;
      try {
        parsed = JSON.parse(storage.getItem(key) ?? '{}');
      } catch {
        return {};
      }
      if (typeof parsed !== 'object' || parsed === null) return {};
      return Object.fromEntries(Object.entries(parsed).filter(([, draft]) => isStoredDraft(draft))) as Record<
        string,
        StoredDraft
      >;
    },
    save(drafts) {
      try {
        if (Object.keys(drafts).length) storage.setItem(key, JSON.stringify(drafts));
        else storage.removeItem(key);
      } catch (error) {
        // Storage full or disabled (private mode): the edits are still queued in this page.
        console.warn('could not keep unsaved edits in the browser', error);
      }
    },
  };
}

function isStoredDraft(value: unknown): value is StoredDraft {
  if (typeof value !== 'object' || value === null) return false;
  const { code, base, type } = value as Record<string, unknown>;
  return (
    typeof code === 'string' &&
    (base === undefined || typeof base === 'number') &&
    typeof type === 'string' &&
    CELL_TYPES.includes(type)
  );
}
