// Deleted notebooks the storage still keeps (docs/API.md: versions and deleted notebooks), each with Restore.
import { useEffect, useMemo, useState } from 'react';
import { messageOf, timeAgo } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { type DeletedNotebook, notebooksApi } from '../api/notebooks';

interface Props {
  /** Changes whenever the notebook list was loaded again: a deletion there is listed here. */
  listed: unknown;
  onRestored: () => Promise<void>;
}

export function RecentlyDeleted({ listed, onRestored }: Props) {
  const { api } = useServices();
  const calls = useMemo(() => notebooksApi(api), [api]);
  const [deleted, setDeleted] = useState<DeletedNotebook[]>([]);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    let current = true;
    calls.deleted().then(
      (found) => current && setDeleted(found),
      (error: unknown) => current && setProblem(`Could not list the recently deleted notebooks: ${messageOf(error)}`),
    );
    return () => {
      current = false;
    };
  }, [calls, listed]);

  const restore = async (id: string) => {
    setProblem(null);
    try {
      await calls.undelete(id);
      setDeleted((previous) => previous.filter((item) => item.id !== id));
      await onRestored();
    } catch (error) {
      setProblem(`Could not restore the notebook: ${messageOf(error)}`);
    }
  };

  if (!deleted.length && !problem) return null;
  return (
    <section className="recently-deleted" aria-label="Recently deleted">
      <h2>Recently deleted</h2>
      {problem && <p className="problem">{problem}</p>}
      <ul>
        {deleted.map((item) => (
          <li key={item.id} className="notebook-row">
            <span className="notebook-name">{item.name}</span>
            <span className="muted">deleted {timeAgo(item.deleted_at)}</span>
            <button type="button" onClick={() => void restore(item.id)} aria-label={`Restore ${item.name}`}>
              Restore
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
