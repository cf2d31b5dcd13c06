import { Fragment, useEffect, useId, useRef } from 'react';
import { displayKeys, SHORTCUTS } from '../model/shortcuts';

const MODE_TEXT = { edit: 'editing', command: 'cell selected' } as const;

/** Every keyboard shortcut, from the table the key handlers use; a modal dialog, closed by Esc or its button. */
export function ShortcutSheet({ onClose }: { onClose: () => void }) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
  }, []);
  return (
    <dialog ref={ref} className="shortcut-sheet" aria-labelledby={titleId} onClose={onClose}>
      <h2 id={titleId}>Keyboard shortcuts</h2>
      <p className="hint">Esc leaves a cell's editor and selects the cell (outlined); Enter edits it again.</p>
      <table>
        <thead>
          <tr>
            <th scope="col">Keys</th>
            <th scope="col">When</th>
            <th scope="col">What it does</th>
          </tr>
        </thead>
        <tbody>
          {SHORTCUTS.map((shortcut) => (
            <tr key={shortcut.command}>
              <td>
                {shortcut.keys.map((keys, index) => (
                  <Fragment key={keys}>
                    {index > 0 && ' or '}
                    <kbd>{displayKeys(keys)}</kbd>
                  </Fragment>
                ))}
              </td>
              <td>{shortcut.modes.map((mode) => MODE_TEXT[mode]).join(', ')}</td>
              <td>{shortcut.description}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form method="dialog" className="dialog-actions">
        <button type="submit" className="primary">
          Close
        </button>
      </form>
    </dialog>
  );
}
