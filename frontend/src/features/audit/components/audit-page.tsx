import { useCallback, useMemo } from 'react';
import { useServices } from '../../../lib/services';
import { auditApi } from '../api/audit';
import { AuditList } from './audit-list';

/** Every notebook's audit events, for admins (the server refuses others, and the page says so). */
export function AuditPage() {
  const { api } = useServices();
  const calls = useMemo(() => auditApi(api), [api]);
  const load = useCallback((before?: string) => calls.events(null, before), [calls]);
  return (
    <section className="audit-page" aria-labelledby="audit-title">
      <h1 id="audit-title">Audit log</h1>
      <p className="muted">Who changed, ran, shared or restored what, newest first.</p>
      <AuditList load={load} showNotebook />
    </section>
  );
}
