import { useCallback, useEffect, useState } from 'react';
import { Link } from 'react-router';
import { messageOf } from '../../../lib/format';
import type { AuditEvent, AuditPage } from '../api/audit';
import { actionText, cellOf } from '../model/actions';

interface Props {
  /** A page of events; `before` is the previous page's cursor. */
  load: (before?: string) => Promise<AuditPage>;
  /** The admin's page lists every notebook's events: each names its notebook. */
  showNotebook?: boolean;
  /** A cell's label in the open notebook ("[3]"); a cell it no longer has is named by its id. */
  labelOf?: (cellId: string) => string | undefined;
}

/** Audit events, newest first: time, who, what, which cell; older ones with "Load more". */
export function AuditList({ load, showNotebook = false, labelOf }: Props) {
  const [events, setEvents] = useState<AuditEvent[]>([]);
  const [cursor, setCursor] = useState<string | null>(null);
  const [status, setStatus] = useState<'loading' | 'ready'>('loading');
  const [problem, setProblem] = useState<string | null>(null);

  const fetchPage = useCallback(
    async (before?: string) => {
      setStatus('loading');
      setProblem(null);
      try {
        const page = await load(before);
        setEvents((previous) => (before ? [...previous, ...page.events] : page.events));
        setCursor(page.next_cursor);
      } catch (error) {
        setProblem(`Could not read the activity: ${messageOf(error)}`);
      }
      setStatus('ready');
    },
    [load],
  );

  useEffect(() => {
    void fetchPage();
  }, [fetchPage]);

  return (
    <div className="audit">
      {problem && (
        <p className="problem" role="alert">
          {problem}
        </p>
      )}
      {status === 'ready' && !problem && events.length === 0 && <p className="muted">Nothing recorded yet.</p>}
      {events.length > 0 && (
        <table className="audit-events" aria-label="Events">
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">Who</th>
              <th scope="col">What</th>
              {showNotebook && <th scope="col">Notebook</th>}
              <th scope="col">Cell</th>
            </tr>
          </thead>
          <tbody>
            {events.map((event, index) => {
              const cellId = cellOf(event.detail);
              return (
                <tr key={`${event.time}-${index}`} className="audit-event" data-action={event.action}>
                  <td>
                    <time dateTime={event.time}>{new Date(event.time).toLocaleString()}</time>
                  </td>
                  <td title={event.actor.id}>{event.actor.name}</td>
                  <td>{actionText(event.action)}</td>
                  {showNotebook && (
                    <td>
                      {event.notebook_id && (
                        <Link to={`/notebooks/${encodeURIComponent(event.notebook_id)}`}>{event.notebook_id}</Link>
                      )}
                    </td>
                  )}
                  <td>{cellId && <code title={cellId}>{labelOf?.(cellId) ?? cellId}</code>}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
      )}
      {status === 'loading' && <p className="muted">Loading…</p>}
      {status === 'ready' && cursor && (
        <button type="button" onClick={() => void fetchPage(cursor)}>
          Load more
        </button>
      )}
    </div>
  );
}
