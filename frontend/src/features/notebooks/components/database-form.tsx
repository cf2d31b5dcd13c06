import { type FormEvent, useId, useState } from 'react';
import { messageOf } from '../../../lib/format';

interface Props {
  connected: boolean;
  onSave: (connectionString: string) => Promise<void>;
  onClose: () => void;
}

/** The notebook's optional PostgreSQL connection: write-only (the server never sends it back). */
export function DatabaseForm({ connected, onSave, onClose }: Props) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const id = useId();

  const save = async (connectionString: string) => {
    setBusy(true);
    setProblem(null);
    try {
      await onSave(connectionString);
      onClose();
    } catch (error) {
      setProblem(messageOf(error));
    } finally {
      setBusy(false);
    }
  };
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (value.trim()) void save(value.trim());
  };

  return (
    <form className="database-form" onSubmit={submit} aria-label="Database connection">
      <label htmlFor={id}>PostgreSQL connection for the SQL cells (optional)</label>
      <p className="hint">
        {connected
          ? 'A connection is set: SQL cells run on that PostgreSQL database. Enter a new one to replace it, or remove it to go back to DuckDB.'
          : 'No connection is set: SQL cells run in DuckDB inside the kernel, over the notebook\'s DataFrames and files.'}{' '}
        A connection is stored with the notebook on the server and never shown again.
      </p>
      <input
        id={id}
        type="password"
        autoComplete="off"
        spellCheck={false}
        placeholder="postgresql://user:password@host:5432/database"
        value={value}
        onChange={(event) => setValue(event.target.value)}
      />
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      <div className="dialog-actions">
        {connected && (
          <button type="button" className="danger" disabled={busy} onClick={() => void save('')}>
            Remove connection
          </button>
        )}
        <button type="button" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={busy || !value.trim()}>
          Save connection
        </button>
      </div>
    </form>
  );
}
