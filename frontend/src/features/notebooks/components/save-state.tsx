import { type SaveState, saveStateOf, type SessionSnapshot } from '../model/notebook-session';

const TEXT: Record<SaveState, { label: string; hint: string }> = {
  saved: { label: 'Saved', hint: 'Every edit is saved on the server' },
  saving: { label: 'Saving…', hint: 'Sending your edits to the server' },
  unsaved: { label: 'Unsaved', hint: 'Some edits are not saved yet: they are kept in this browser and sent again' },
  offline: {
    label: 'Unsaved (offline)',
    hint: 'Not connected: your edits are kept in this browser and saved when the connection is back',
  },
};

/** Whether the code typed in this page has reached the server. */
export function SaveStateIndicator({ state }: { state: SessionSnapshot }) {
  const saveState = saveStateOf(state);
  const { label, hint } = TEXT[saveState];
  return (
    <span className={`save-state save-state-${saveState}`} data-testid="save-state" data-state={saveState} title={hint} aria-live="polite">
      {label}
    </span>
  );
}
