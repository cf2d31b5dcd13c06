import { useCallback, useMemo } from 'react';
import { useServices } from '../../../lib/services';
import { auditApi } from '../api/audit';
import { AuditList } from './audit-list';

interface Props {
  notebookId: string;
  labelOf?: (cellId: string) => string | undefined;
  onClose: () => void;
}

/** One notebook's audit events, beside it like its History: for its owner and admins. */
export function ActivityPanel({ notebookId, labelOf, onClose }: Props) {
  const { api } = useServices();
  const calls = useMemo(() => auditApi(api), [api]);
  const load = useCallback((before?: string) => calls.events(notebookId, before), [calls, notebookId]);
  return (
    <section className="activity-panel" aria-label="Activity">
      <div className="history-title">
        <h2>Activity</h2>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
      <AuditList load={load} labelOf={labelOf} />
    </section>
  );
}
