import { useEffect, useState } from 'react';
import { ApiError } from '../../../lib/api-client';
import { plural } from '../../../lib/format';
import type { TablePage, TableQuery } from '../api/notebooks';
import type { TableOutput } from '../model/protocol';

export const PAGE_SIZE = 50;
export const FILTER_DELAY_MS = 300;

/** Where pages of the whole frame come from (the kernel, through the table route), and how to show it again. */
export interface TableSource {
  load: (tableId: string, query: TableQuery) => Promise<TablePage>;
  rerun: () => void;
}

interface View {
  offset: number;
  sort: string | null;
  descending: boolean;
  filter: string;
}

type Rows = Pick<TablePage, 'columns' | 'dtypes' | 'index' | 'rows' | 'total_rows'>;
type Problem = { kind: 'gone' | 'busy' | 'other'; message: string };

const START: View = { offset: 0, sort: null, descending: false, filter: '' };

/** A DataFrame: pages of all its rows, sorted by a clicked column and filtered by text on the server; the rows the
 * output itself holds are shown at once, without asking. */
export function TableView({ table, source }: { table: TableOutput; source?: TableSource }) {
  const [view, setView] = useState<View>(START);
  const [typed, setTyped] = useState('');
  const [fetched, setFetched] = useState<{ view: View; rows: Rows } | null>(null);
  const [problem, setProblem] = useState<Problem | null>(null);
  const [attempt, setAttempt] = useState(0);
  const local = !view.sort && !view.filter && Math.min(view.offset + PAGE_SIZE, table.total_rows) <= table.rows.length;

  useEffect(() => {
    const timer = setTimeout(() => setView((current) => (current.filter === typed ? current : { ...current, filter: typed, offset: 0 })), FILTER_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);

  useEffect(() => {
    if (local) return;
    let current = true;
    setProblem(null);
    const query: TableQuery = { offset: view.offset, limit: PAGE_SIZE, descending: view.descending, filter: view.filter };
    if (view.sort !== null) query.sort = view.sort;
    const load = source?.load ?? (() => Promise.reject(new Error('Only the rows sent with the output can be shown here.')));
    load(table.table_id, query).then(
      (rows) => current && setFetched({ view, rows }),
      (error: unknown) => current && setProblem(describe(error)),
    );
    return () => {
      current = false;
    };
  }, [local, view, table.table_id, source, attempt]);

  // While a page loads, the previous one stays (dimmed) rather than the table collapsing.
  const shown: Rows | null = local
    ? { ...table, rows: table.rows.slice(view.offset, view.offset + PAGE_SIZE), index: table.index.slice(view.offset, view.offset + PAGE_SIZE) }
    : (fetched?.rows ?? null);
  const refused = local ? null : problem;
  const loading = !local && fetched?.view !== view && refused === null;
  const total = shown?.total_rows ?? table.total_rows;
  const lastOffset = Math.max(0, Math.floor((total - 1) / PAGE_SIZE) * PAGE_SIZE);
  const go = (offset: number) => setView({ ...view, offset });
  const sortBy = (column: string) =>
    setView(
      view.sort !== column
        ? { ...view, sort: column, descending: false, offset: 0 }
        : view.descending
          ? { ...view, sort: null, descending: false, offset: 0 }
          : { ...view, descending: true, offset: 0 },
    );
  const omittedColumns = table.total_columns - table.columns.length;
  const count = shown?.rows.length ?? 0;
  return (
    <figure className="table-output" aria-busy={loading}>
      <div className="table-tools">
        <input
          type="search"
          aria-label="Filter rows"
          placeholder="Filter rows…"
          value={typed}
          maxLength={1000}
          onChange={(event) => setTyped(event.target.value)}
        />
      </div>
      {refused && (
        <div className="table-problem" role="alert">
          <span>{refused.message}</span>
          {refused.kind === 'gone' && source && (
            <button type="button" onClick={source.rerun}>
              Run the cell again
            </button>
          )}
          {refused.kind === 'busy' && (
            <button type="button" onClick={() => setAttempt(attempt + 1)}>
              Try again
            </button>
          )}
        </div>
      )}
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th aria-label="index" />
              {table.columns.map((column, index) => (
                <th
                  key={index}
                  title={table.dtypes[index]}
                  aria-sort={view.sort === column ? (view.descending ? 'descending' : 'ascending') : 'none'}
                >
                  <button type="button" className="sort-button" onClick={() => sortBy(column)}>
                    {column}
                    <span aria-hidden="true">{view.sort === column ? (view.descending ? ' ▼' : ' ▲') : ''}</span>
                  </button>
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {shown?.rows.map((row, rowIndex) => (
              <tr key={view.offset + rowIndex}>
                <th scope="row">{show(shown.index[rowIndex])}</th>
                {row.map((value, columnIndex) => (
                  <td key={columnIndex} className={typeof value === 'number' ? 'number' : undefined}>
                    {show(value)}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <figcaption>
        <span>
          {plural(table.total_rows, 'row')} × {plural(table.total_columns, 'column')}
          {omittedColumns > 0 && ` (first ${table.columns.length} columns shown)`}
        </span>
        <span className="pager">
          <button type="button" disabled={view.offset === 0} onClick={() => go(0)} aria-label="First page">
            «
          </button>
          <button type="button" disabled={view.offset === 0} onClick={() => go(Math.max(0, view.offset - PAGE_SIZE))} aria-label="Previous page">
            ‹
          </button>
          <span aria-live="polite">
            {loading
              ? 'loading…'
              : shown === null || refused
                ? ''
                : count === 0
                ? `no rows of ${total.toLocaleString('en-US')}`
                : `rows ${(view.offset + 1).toLocaleString('en-US')}–${(view.offset + count).toLocaleString('en-US')} of ${total.toLocaleString('en-US')}`}
          </span>
          <button type="button" disabled={view.offset >= lastOffset} onClick={() => go(view.offset + PAGE_SIZE)} aria-label="Next page">
            ›
          </button>
          <button type="button" disabled={view.offset >= lastOffset} onClick={() => go(lastOffset)} aria-label="Last page">
            »
          </button>
        </span>
      </figcaption>
    </figure>
  );
}

function describe(error: unknown): Problem {
  const message = error instanceof Error ? error.message : String(error);
  const sentence = message.charAt(0).toUpperCase() + message.slice(1);
  if (error instanceof ApiError && error.status === 410) return { kind: 'gone', message: sentence };
  if (error instanceof ApiError && error.status === 409) return { kind: 'busy', message: sentence };
  return { kind: 'other', message: sentence };
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
