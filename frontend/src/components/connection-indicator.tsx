import { useEffect, useState } from 'react';
import { CLOSED_BY_PAGE, type ConnectionState } from '../lib/websocket';

interface Props {
  connection: ConnectionState;
  onRetry: () => void;
}

/** The live connection to the notebook: a dot, a word, and during backoff a countdown with "retry now". */
export function ConnectionIndicator({ connection, onRetry }: Props) {
  const seconds = useCountdown(connection.retryAt);
  const { status } = connection;
  let label: string;
  if (status === 'open') label = 'Live';
  else if (status === 'connecting') label = 'Connecting…';
  else if (status === 'reconnecting')
    label = connection.retryAt === null ? 'Reconnecting…' : `Reconnecting in ${seconds}s`;
  else label = `Disconnected${connection.reason ? `: ${connection.reason}` : ''}`;
  return (
    <div className={`connection connection-${status}`} role="status" aria-live="polite" data-status={status}>
      <span className="connection-dot" aria-hidden="true" />
      <span>{label}</span>
      {(status === 'reconnecting' || status === 'closed') && connection.reason !== CLOSED_BY_PAGE && (
        <button type="button" className="link" onClick={onRetry}>
          Retry now
        </button>
      )}
    </div>
  );
}

function useCountdown(until: number | null): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (until === null) return;
    setNow(Date.now());
    const timer = setInterval(() => setNow(Date.now()), 500);
    return () => clearInterval(timer);
  }, [until]);
  return until === null ? 0 : Math.max(0, Math.ceil((until - now) / 1000));
}
