import { act, fireEvent, render, screen } from '@testing-library/react';
import { type Mock, afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../../lib/api-client';
import type { TablePage, TableQuery } from '../api/notebooks';
import type { TableOutput } from '../model/protocol';
import { FILTER_DELAY_MS, PAGE_SIZE, type TableSource, TableView } from './table-output';

const TOTAL = 1120;

function table(rows: number, total = TOTAL): TableOutput {
  return {
    kind: 'table',
    table_id: 't1',
    columns: ['month', 'revenue'],
    dtypes: ['int64', 'float64'],
    index: Array.from({ length: rows }, (_, index) => index),
    rows: Array.from({ length: rows }, (_, index) => [index + 1, index * 1.5]),
    total_rows: total,
    total_columns: 2,
    truncated: rows < total,
  };
}

/** The frame the fake server pages: month n at index n - 1, revenue 1.5 per month. */
function fakeSource(): { load: Mock<TableSource['load']>; rerun: Mock<TableSource['rerun']> } {
  const load = vi.fn(async (_tableId: string, query: TableQuery): Promise<TablePage> => {
    let months = Array.from({ length: TOTAL }, (_, index) => index + 1);
    if (query.filter) months = months.filter((month) => String(month).includes(query.filter as string));
    if (query.sort && query.descending) months = [...months].reverse();
    const offset = query.offset ?? 0;
    const page = months.slice(offset, offset + (query.limit ?? 100));
    return {
      table_id: 't1',
      columns: ['month', 'revenue'],
      dtypes: ['int64', 'float64'],
      index: page.map((month) => month - 1),
      rows: page.map((month) => [month, (month - 1) * 1.5]),
      offset,
      total_rows: months.length,
    };
  });
  return { load, rerun: vi.fn<TableSource['rerun']>() };
}

const rows = () => screen.getAllByRole('row').slice(1);
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;
const header = (name: string) => screen.getByRole('columnheader', { name: new RegExp(`^${name}`) });

afterEach(() => {
  vi.useRealTimers();
});

describe('TableView', () => {
  it('shows the first pages from the output itself, then asks the server for the rest', async () => {
    const source = fakeSource();
    render(<TableView table={table(100)} source={source} />);
    expect(rows()).toHaveLength(PAGE_SIZE);
    expect(rows()[0]?.textContent).toBe('010');
    expect(screen.getByText('rows 1–50 of 1,120')).toBeTruthy();
    expect(button('First page').disabled).toBe(true);
    expect(button('Previous page').disabled).toBe(true);
    fireEvent.click(button('Next page'));
    expect(screen.getByText('rows 51–100 of 1,120')).toBeTruthy();
    expect(source.load).not.toHaveBeenCalled();

    fireEvent.click(button('Last page'));
    expect(await screen.findByText('rows 1,101–1,120 of 1,120')).toBeTruthy();
    expect(source.load).toHaveBeenLastCalledWith('t1', { offset: 1100, limit: PAGE_SIZE, descending: false, filter: '' });
    expect(rows()).toHaveLength(20);
    expect(rows()[0]?.textContent).toBe('110011011650');
    expect(button('Next page').disabled).toBe(true);
    expect(button('Last page').disabled).toBe(true);
    fireEvent.click(button('First page'));
    expect(screen.getByText('rows 1–50 of 1,120')).toBeTruthy();
  });

  it('sorts by a clicked column, descending on a second click and unsorted on a third, with aria-sort', async () => {
    const source = fakeSource();
    render(<TableView table={table(100)} source={source} />);
    expect(header('month').getAttribute('aria-sort')).toBe('none');
    fireEvent.click(button('month'));
    await screen.findByText('rows 1–50 of 1,120');
    expect(header('month').getAttribute('aria-sort')).toBe('ascending');
    fireEvent.click(button('month'));
    expect(await screen.findByText('1120')).toBeTruthy();
    expect(header('month').getAttribute('aria-sort')).toBe('descending');
    expect(source.load).toHaveBeenLastCalledWith('t1', { offset: 0, limit: PAGE_SIZE, descending: true, filter: '', sort: 'month' });
    fireEvent.click(button('month'));
    expect(header('month').getAttribute('aria-sort')).toBe('none');
    expect(rows()[0]?.textContent).toBe('010');
    expect(source.load).toHaveBeenCalledTimes(2);
  });

  it('filters on the server once typing pauses, from the first page', async () => {
    vi.useFakeTimers();
    const source = fakeSource();
    render(<TableView table={table(100)} source={source} />);
    fireEvent.click(button('Next page'));
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter rows' }), { target: { value: '11' } });
    fireEvent.change(screen.getByRole('searchbox', { name: 'Filter rows' }), { target: { value: '111' } });
    expect(source.load).not.toHaveBeenCalled();
    await act(async () => {
      await vi.advanceTimersByTimeAsync(FILTER_DELAY_MS);
    });
    expect(source.load).toHaveBeenCalledOnce();
    expect(source.load).toHaveBeenLastCalledWith('t1', { offset: 0, limit: PAGE_SIZE, descending: false, filter: '111' });
    expect(screen.getByText('rows 1–11 of 11')).toBeTruthy();
  });

  it('offers to run the cell again when the table is no longer in the kernel, and a retry when Python is busy', async () => {
    const source = fakeSource();
    source.load.mockRejectedValueOnce(new ApiError(410, 'this table is no longer in the kernel: the cell ran again'));
    render(<TableView table={table(100)} source={source} />);
    fireEvent.click(button('month'));
    expect((await screen.findByRole('alert')).textContent).toContain('This table is no longer in the kernel');
    fireEvent.click(button('Run the cell again'));
    expect(source.rerun).toHaveBeenCalledOnce();

    source.load.mockRejectedValueOnce(new ApiError(409, 'the kernel is running cell c: try again when it finishes'));
    fireEvent.click(button('month'));
    expect((await screen.findByRole('alert')).textContent).toContain('The kernel is running cell c');
    fireEvent.click(button('Try again'));
    expect(await screen.findByText('1120')).toBeTruthy();
    expect(screen.queryByRole('alert')).toBeNull();
  });

  it('shows missing values and labels columns with their dtype', () => {
    render(<TableView table={{ ...table(1, 1), rows: [[null, 2.5]] }} />);
    expect(screen.getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['—', '2.5']);
    expect(header('revenue').getAttribute('title')).toBe('float64');
    expect(button('Next page').disabled).toBe(true);
    expect(screen.getByText('rows 1–1 of 1')).toBeTruthy();
  });
});
