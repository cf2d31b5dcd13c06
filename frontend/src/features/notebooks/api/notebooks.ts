// REST calls of the notebooks feature, typed by the generated schema; each returns data or throws ApiError.
import type { components, paths } from '@notebook-ship/api-schema';
import { ApiError, type ApiClient, unwrap } from '../../../lib/api-client';

export type NotebookSummary = components['schemas']['NotebookSummary'];
export type NotebookDetail = components['schemas']['Notebook'];
export type Role = NotebookDetail['role'];
export type NotebookAccess = components['schemas']['NotebookAccess'];
export type ShareEntry = components['schemas']['ShareEntry'];
export type ApiCell = components['schemas']['Cell'];
export type CellType = ApiCell['type'];
export type ExportFormat = 'py' | 'ipynb' | 'html';
export type ImportFormat = components['schemas']['NotebookImport']['format'];
export type TablePage = components['schemas']['TablePage'];
export type KernelSizes = components['schemas']['KernelSizes'];
export type KernelSizeName = KernelSizes['default'];
export type KernelSizeSet = components['schemas']['KernelSizeSet'];
export type VersionSummary = components['schemas']['NotebookVersionSummary'];
export type VersionPage = components['schemas']['NotebookVersionList'];
export type VersionDiff = components['schemas']['NotebookVersionDiff'];
export type CellChange = components['schemas']['CellChange'];
export type DeletedNotebook = components['schemas']['DeletedNotebookSummary'];
export type TableQuery = Omit<NonNullable<paths['/api/notebooks/{notebook_id}/cells/{cell_id}/table']['get']['parameters']['query']>, 'table_id'>;

/** The file name of a download: RFC 5987's `filename*` when given, else `filename`. */
export function dispositionFilename(header: string | null, fallback: string): string {
  const extended = header && /filename\*=UTF-8''([^;]+)/i.exec(header);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1]);
    } catch {
      // a malformed encoding: use the plain name
    }
  }
  const plain = header && /filename="([^"]*)"/i.exec(header);
  return plain?.[1] || fallback;
}

/** The cell changed since the revision an edit was based on: nothing was saved; `cell` is how it is now. */
export class EditConflictError extends ApiError {
  override name = 'EditConflictError';

  constructor(
    readonly cell: ApiCell,
    message: string,
  ) {
    super(409, message);
  }
}

const notebookPath = (notebookId: string) => ({ params: { path: { notebook_id: notebookId } } });
const cellPath = (notebookId: string, cellId: string) => ({
  params: { path: { notebook_id: notebookId, cell_id: cellId } },
});

export const notebooksApi = (api: ApiClient) => ({
  list: async () => unwrap(await api.GET('/api/notebooks')).notebooks,
  create: async (name?: string) =>
    unwrap(await api.POST('/api/notebooks', { body: name ? { name } : {} })).notebook_id,
  get: async (notebookId: string) => unwrap(await api.GET('/api/notebooks/{notebook_id}', notebookPath(notebookId))),
  rename: async (notebookId: string, name: string) =>
    unwrap(await api.PUT('/api/notebooks/{notebook_id}/name', { ...notebookPath(notebookId), body: { name } })),
  remove: async (notebookId: string) =>
    unwrap(await api.DELETE('/api/notebooks/{notebook_id}', notebookPath(notebookId))),
  setConnection: async (notebookId: string, connectionString: string) =>
    unwrap(
      await api.PUT('/api/notebooks/{notebook_id}/db', {
        ...notebookPath(notebookId),
        body: { connection_string: connectionString },
      }),
    ),
  kernelSizes: async () => unwrap(await api.GET('/api/kernels/sizes')),
  setKernelSize: async (notebookId: string, size: KernelSizeName) =>
    unwrap(
      await api.PUT('/api/notebooks/{notebook_id}/kernel-size', { ...notebookPath(notebookId), body: { kernel_size: size } }),
    ),
  addCell: async (notebookId: string, type: CellType, afterCellId: string | null, code = '') =>
    unwrap(
      await api.POST('/api/notebooks/{notebook_id}/cells', {
        ...notebookPath(notebookId),
        body: { type, after_cell_id: afterCellId, ...(code ? { code } : {}) },
      }),
    ).cell_id,
  updateCell: async (
    notebookId: string,
    cellId: string,
    change: { code?: string; output_name?: string; revision?: number },
  ) => {
    const result = await api.PUT('/api/notebooks/{notebook_id}/cells/{cell_id}', {
      ...cellPath(notebookId, cellId),
      body: change,
    });
    if (result.response.status === 409 && result.error && 'cell' in result.error) {
      throw new EditConflictError(result.error.cell, result.error.detail);
    }
    return unwrap(result);
  },
  deleteCell: async (notebookId: string, cellId: string) =>
    unwrap(await api.DELETE('/api/notebooks/{notebook_id}/cells/{cell_id}', cellPath(notebookId, cellId))),
  exportFile: async (notebookId: string, format: ExportFormat) => {
    const result = await api.GET('/api/notebooks/{notebook_id}/export', {
      params: { path: { notebook_id: notebookId }, query: { format } },
      parseAs: 'blob',
    });
    const blob = unwrap(result) as unknown as Blob;
    return { blob, filename: dispositionFilename(result.response.headers.get('content-disposition'), `notebook.${format}`) };
  },
  importNotebook: async (name: string, format: ImportFormat, content: string) =>
    unwrap(await api.POST('/api/notebooks/import', { body: { name, format, content } })).notebook_id,
  tablePage: async (notebookId: string, cellId: string, tableId: string, query: TableQuery) =>
    unwrap(
      await api.GET('/api/notebooks/{notebook_id}/cells/{cell_id}/table', {
        params: { path: { notebook_id: notebookId, cell_id: cellId }, query: { ...query, table_id: tableId } },
      }),
    ),
  versions: async (notebookId: string, cursor?: string) =>
    unwrap(
      await api.GET('/api/notebooks/{notebook_id}/versions', {
        params: { path: { notebook_id: notebookId }, query: cursor ? { cursor } : {} },
      }),
    ),
  /** What the version changes against `base`, another version, or without one the notebook as it is now. */
  versionDiff: async (notebookId: string, versionId: string, base?: string) =>
    unwrap(
      await api.GET('/api/notebooks/{notebook_id}/versions/{version_id}/diff', {
        params: { path: { notebook_id: notebookId, version_id: versionId }, query: base ? { base } : {} },
      }),
    ),
  restoreVersion: async (notebookId: string, versionId: string) =>
    unwrap(
      await api.POST('/api/notebooks/{notebook_id}/versions/{version_id}/restore', {
        params: { path: { notebook_id: notebookId, version_id: versionId } },
      }),
    ),
  deleted: async () => unwrap(await api.GET('/api/notebooks/deleted')).notebooks,
  undelete: async (notebookId: string) =>
    unwrap(await api.POST('/api/notebooks/{notebook_id}/undelete', notebookPath(notebookId))),
  access: async (notebookId: string) =>
    unwrap(await api.GET('/api/notebooks/{notebook_id}/access', notebookPath(notebookId))),
  setAccess: async (notebookId: string, shares: ShareEntry[]) =>
    unwrap(await api.PUT('/api/notebooks/{notebook_id}/access', { ...notebookPath(notebookId), body: { shares } })),
  moveCell: async (notebookId: string, cellId: string, index: number) =>
    unwrap(
      await api.POST('/api/notebooks/{notebook_id}/cells/{cell_id}/move', {
        ...cellPath(notebookId, cellId),
        body: { index },
      }),
    ),
});

export type NotebooksApi = ReturnType<typeof notebooksApi>;
