import { fireEvent, render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeCell } from '../../../testing/fixtures';
import type { ApiCell } from '../api/notebooks';
import type { TableOutput } from '../model/protocol';
import { CellOutputs } from './cell-outputs';
import { PAGE_SIZE, TableView } from './table-output';

vi.mock('./plotly-chart', () => ({
  default: ({ spec }: { spec: { layout?: { title?: string } } }) => <div data-testid="plotly-chart">{spec.layout?.title}</div>,
}));

const labelOf = (cellId: string) => ({ a: '[1]', b: '[2]' })[cellId] ?? '[?]';
const show = (cell: Partial<ApiCell>) => render(<CellOutputs cell={{ ...makeCell({ id: 'b' }), ...cell }} labelOf={labelOf} />);

function table(rows: number): TableOutput {
  return {
    kind: 'table',
    columns: ['month', 'revenue'],
    dtypes: ['int64', 'float64'],
    index: Array.from({ length: rows }, (_, index) => index),
    rows: Array.from({ length: rows }, (_, index) => [index + 1, index * 1.5]),
    total_rows: rows + 1000,
    total_columns: 2,
    truncated: true,
  };
}

describe('CellOutputs', () => {
  it('shows nothing for a cell without results', () => {
    const { container } = show({});
    expect(container.innerHTML).toBe('');
  });

  it('shows stdout and stderr apart, the error with its traceback cells, and the value', () => {
    show({
      console: [
        { stream: 'stdout', text: 'loading\n' },
        { stream: 'stderr', text: 'warning\n' },
      ],
      error: {
        type: 'ZeroDivisionError',
        message: 'division by zero',
        traceback: [{ cell_id: 'a', filename: 'cell a', line: 2, name: 'ratio', code: 'return 1 / 0' }],
        text: 'Traceback (most recent call last):\nZeroDivisionError: division by zero',
      },
      outputs: [{ kind: 'image', mime: 'image/png', data: 'iVBORw0KGgo=' }],
    });
    expect(screen.getByLabelText('Output').textContent).toBe('loading\nwarning\n');
    expect(screen.getByText('warning').className).toBe('stderr');
    expect(screen.getByRole('alert').textContent).toContain('ZeroDivisionError: division by zero');
    expect(screen.getByRole('alert').textContent).toContain('Traceback through [1]');
    expect(screen.getByRole('img', { name: 'Figure' }).getAttribute('src')).toBe('data:image/png;base64,iVBORw0KGgo=');
  });

  it('lists static problems of a cell that has not run', () => {
    show({ static_errors: [{ kind: 'multiple-definition', message: 'x is defined by [1] and [2]', line: null, column: null, cells: ['a', 'b'], names: ['x'] }] });
    expect(screen.getByRole('list', { name: 'Problems found before running' }).textContent).toBe('x is defined by [1] and [2]');
  });

  it('draws Plotly figures lazily and text values as text', async () => {
    show({ outputs: [{ kind: 'plotly', spec: { data: [], layout: { title: 'Revenue' } } }, { kind: 'text', text: "{'a': 1}", truncated: false }] });
    expect((await screen.findByTestId('plotly-chart')).textContent).toBe('Revenue');
    expect(screen.getByText("{'a': 1}")).toBeTruthy();
    expect(screen.queryByText(/Shortened/)).toBeNull();
  });

  it('shows stdout and stderr in the order they were written', () => {
    show({
      console: [
        { stream: 'stdout', text: '1\n' },
        { stream: 'stderr', text: '2\n' },
        { stream: 'stdout', text: '3\n' },
      ],
    });
    const spans = [...screen.getByLabelText('Output').children];
    expect(spans.map((span) => [span.textContent, span.className])).toEqual([
      ['1\n', ''],
      ['2\n', 'stderr'],
      ['3\n', ''],
    ]);
    expect(screen.queryByText(/output truncated/)).toBeNull();
  });

  it('says when a value or the console was cut', () => {
    show({
      console: [{ stream: 'stdout', text: 'newest\n' }],
      console_truncated: true,
      outputs: [{ kind: 'text', text: '[0, 1, ...]', truncated: true }],
    });
    expect(screen.getByLabelText('Output').firstElementChild?.textContent).toBe('… earlier output truncated\n');
    expect(screen.getByText(/Shortened: part of the value is not shown/)).toBeTruthy();
  });

  it('names cells by their labels in tracebacks, static errors and printed text', () => {
    show({
      console: [{ stream: 'stderr', text: 'File "<cell a>", line 2, in f\n' }],
      error: {
        type: 'ValueError',
        message: 'boom',
        traceback: [{ cell_id: 'a', filename: '<cell a>', line: 2, name: 'f', code: 'raise' }],
        text: '  File "<cell b>", line 1, in <module>\n  File "<cell a>", line 2, in f\nValueError: boom',
      },
    });
    expect(screen.getByRole('alert').querySelector('pre')?.textContent).toBe(
      '  Cell [2], line 1, in <module>\n  Cell [1], line 2, in f\nValueError: boom',
    );
    expect(screen.getByLabelText('Output').textContent).toBe('Cell [1], line 2, in f\n');
    expect(document.body.textContent).not.toContain('<cell');
  });

  it('shows a static error before the error of an older run, and a static error it ran into once', () => {
    const problem: ApiCell['static_errors'][number] = {
      kind: 'multiple-definition', message: "'x' is also defined by <cell a>", line: null, column: null, cells: ['a'], names: ['x'],
    };
    const old = { type: 'ZeroDivisionError', message: 'division by zero', traceback: [], text: 'ZeroDivisionError: division by zero' };
    const { unmount } = show({ static_errors: [problem], error: old });
    const shown = () => [...document.querySelectorAll('.static-errors, .error-output')].map((part) => part.textContent);
    expect(shown()).toEqual(["'x' is also defined by [1]", 'ZeroDivisionError: division by zero']);
    unmount();
    show({ static_errors: [problem], error: { ...old, type: 'MultipleDefinitionError', message: problem.message, text: problem.message } });
    expect(shown()).toEqual(["'x' is also defined by [1]"]);
  });
});

describe('TableView', () => {
  it('pages through the rows it has and says what the server left out', () => {
    render(<TableView table={table(120)} />);
    const rows = () => screen.getAllByRole('row').slice(1);
    expect(rows()).toHaveLength(PAGE_SIZE);
    expect(rows()[0]?.textContent).toBe('010');
    expect(screen.getByText(/1,?120 rows × 2 columns \(first 120 rows shown\)/)).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Previous' }) as HTMLButtonElement).disabled).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    expect(rows()).toHaveLength(20);
    expect(rows()[0]?.textContent).toBe('100101150');
    expect(screen.getByText('rows 101–120')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next' }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('shows missing values and labels columns with their dtype', () => {
    render(<TableView table={{ ...table(1), rows: [[null, 2.5]], total_rows: 1 }} />);
    expect(screen.getAllByRole('cell').map((cell) => cell.textContent)).toEqual(['—', '2.5']);
    expect(screen.getByRole('columnheader', { name: 'revenue' }).getAttribute('title')).toBe('float64');
    expect(screen.queryByRole('button', { name: 'Next' })).toBeNull();
  });
});
