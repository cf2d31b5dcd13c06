import { ConfigurationError } from '@notebook-ship/action-kit';
import type { Service } from './service';

/** The `cleanup` check: deletes the notebook the run created, whatever happened before. */
export async function deleteNotebook(service: Service, notebook: { id: string; name: string } | undefined): Promise<string> {
  if (!notebook) return 'nothing to delete';
  try {
    // 404: already gone, which is what cleanup wants.
    await service.call('DELETE', `api/notebooks/${encodeURIComponent(notebook.id)}`, { expect: [204, 404] });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError(`Could not delete the notebook "${notebook.name}" (${notebook.id}); delete it in the app. ${reason}`);
  }
  return `deleted notebook ${notebook.id}`;
}
