// The audit log (docs/API.md: audit): who changed, ran, shared or restored what, newest first, a page at a time.
import type { components } from '@notebook-ship/api-schema';
import { type ApiClient, unwrap } from '../../../lib/api-client';

export type AuditEvent = components['schemas']['AuditEvent'];
export type AuditPage = components['schemas']['AuditEventList'];

export const PAGE_SIZE = 50;

export const auditApi = (api: ApiClient) => ({
  /** One page: every notebook's events (admins), or one notebook's (its owner too); `before` pages back. */
  events: async (notebookId: string | null, before?: string) =>
    unwrap(
      await api.GET('/api/audit', {
        params: {
          query: { limit: PAGE_SIZE, ...(notebookId ? { notebook_id: notebookId } : {}), ...(before ? { before } : {}) },
        },
      }),
    ),
});
