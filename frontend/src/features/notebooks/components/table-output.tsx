import { useState } from 'react';
import { plural } from '../../../lib/format';
import type { TableOutput } from '../model/protocol';

export const PAGE_SIZE = 50;

/** A DataFrame: pages of rows, scrolling sideways for wide frames, with what the server left out said plainly. */
export function TableView({ table }: { table: TableOutput }) {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(table.rows.length / PAGE_SIZE));
  const current = Math.min(page, pages - 1);
  const first = current * PAGE_SIZE;
  const rows = table.rows.slice(first, first + PAGE_SIZE);
  const omittedColumns = table.total_columns - table.columns.length;
  return (
    <figure className="table-output">
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th aria-label="index" />
              {table.columns.map((column, index) => (
                <th key={index} title={table.dtypes[index]}>
                  {column}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, rowIndex) => (
              <tr key={first + rowIndex}>
                <th scope="row">{show(table.index[first + rowIndex])}</th>
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
          {table.rows.length < table.total_rows && ` (first ${table.rows.length} rows shown)`}
          {omittedColumns > 0 && ` (first ${table.columns.length} columns shown)`}
        </span>
        {pages > 1 && (
          <span className="pager">
            <button type="button" disabled={current === 0} onClick={() => setPage(current - 1)}>
              Previous
            </button>
            <span>
              rows {first + 1}–{first + rows.length}
            </span>
            <button type="button" disabled={current >= pages - 1} onClick={() => setPage(current + 1)}>
              Next
            </button>
          </span>
        )}
      </figcaption>
    </figure>
  );
}

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}
