// REST calls of the kernels panel, typed by the generated schema; each returns data or throws ApiError.
import type { components } from '@notebook-ship/api-schema';
import { type ApiClient, unwrap } from '../../../lib/api-client';

export type KernelInfo = components['schemas']['KernelInfo'];

export const kernelsApi = (api: ApiClient) => ({
  list: async () => unwrap(await api.GET('/api/kernels')).kernels,
  stop: async (notebookId: string) =>
    unwrap(await api.DELETE('/api/kernels/{notebook_id}', { params: { path: { notebook_id: notebookId } } })),
});
