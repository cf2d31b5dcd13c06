import type { ApiCell, NotebookDetail } from '../features/notebooks/api/notebooks';

export function makeCell(overrides: Partial<ApiCell> & { id: string }): ApiCell {
  return {
    type: 'python',
    code: '',
    output_name: null,
    revision: 0,
    status: 'idle',
    stale: true,
    ran_revision: null,
    blocked_by: null,
    duration: null,
    stdout: '',
    console: [],
    console_truncated: false,
    outputs: [],
    error: null,
    defines: [],
    references: [],
    depends_on: [],
    static_errors: [],
    ...overrides,
  };
}

export function makeNotebook(cells: ApiCell[], overrides: Partial<NotebookDetail> = {}): NotebookDetail {
  return {
    id: 'nb1',
    name: 'Forecast',
    created_at: '2025-01-01T00:00:00Z',
    updated_at: '2025-01-01T00:00:00Z',
    db_connection_set: false,
    kernel_size: 'small',
    seq: 10,
    role: 'owner',
    owner: null,
    kernel: { state: 'ready' },
    cells,
    ...overrides,
  };
}
