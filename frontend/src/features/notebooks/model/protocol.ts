// The WebSocket protocol of /api/ws/notebooks/{id} (docs/API.md). OpenAPI does not describe WebSocket messages, so
// they are typed here; the cell and notebook shapes inside them come from the generated REST schema.
import type { ApiCell, NotebookDetail, NotebookSummary } from '../api/notebooks';

export type CellStatus = ApiCell['status'];
export type KernelState = NotebookDetail['kernel']['state'];

export interface TableOutput {
  kind: 'table';
  columns: string[];
  dtypes: string[];
  index: unknown[];
  rows: unknown[][];
  total_rows: number;
  total_columns: number;
}
export interface PlotlyOutput {
  kind: 'plotly';
  spec: { data?: unknown[]; layout?: Record<string, unknown>; frames?: unknown[] };
}
export interface ImageOutput {
  kind: 'image';
  mime: string;
  data: string; // base64
}
export interface TextOutput {
  kind: 'text';
  text: string;
  truncated: boolean;
}
export type CellOutput = TableOutput | PlotlyOutput | ImageOutput | TextOutput;

export interface TracebackFrame {
  cell_id: string | null;
  filename: string;
  line: number | null;
  name: string;
  code: string | null;
}
export interface CellError {
  type: string;
  message: string;
  traceback: TracebackFrame[];
  text?: string;
}

export interface GraphFields {
  defines: string[];
  references: string[];
  depends_on: string[];
  static_errors: ApiCell['static_errors'];
}

interface Sequenced {
  seq: number;
}

export type ServerMessage =
  | { type: 'snapshot'; notebook: NotebookDetail }
  | ({ type: 'cell_status'; cell_id: string; status: CellStatus; stale: boolean; blocked_by: string | null; duration: number | null } & Sequenced)
  | ({ type: 'cell_stdout'; cell_id: string; stream: 'stdout' | 'stderr'; text: string } & Sequenced)
  | ({ type: 'kernel_stdout'; stream: 'stdout' | 'stderr'; text: string } & Sequenced)
  | ({ type: 'cell_output'; cell_id: string; outputs: CellOutput[] } & Sequenced)
  | ({ type: 'cell_error'; cell_id: string; error: CellError } & Sequenced)
  | ({ type: 'graph'; cells: Record<string, GraphFields> } & Sequenced)
  | ({ type: 'cell_created'; cell: ApiCell; index: number | null } & Sequenced)
  | ({ type: 'cell_updated'; cell: Pick<ApiCell, 'id' | 'type' | 'code' | 'output_name'>; index: number | null } & Sequenced)
  | ({ type: 'cell_moved'; cell_id: string; index: number } & Sequenced)
  | ({ type: 'cell_deleted'; cell_id: string } & Sequenced)
  | ({ type: 'kernel_status'; state: KernelState; reason: string | null } & Sequenced)
  | { type: 'notebook_updated'; notebook: NotebookSummary }
  | { type: 'notebook_deleted'; notebook_id: string }
  | { type: 'error'; message: string };

export type ClientMessage =
  | { type: 'run_cell'; cell_id: string }
  | { type: 'run_all' }
  | { type: 'interrupt' }
  | { type: 'restart_kernel' }
  | { type: 'sync' };

export function isServerMessage(value: unknown): value is ServerMessage {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
