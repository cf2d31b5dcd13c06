import { render, screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { makeCell } from '../../../testing/fixtures';
import type { ApiCell } from '../api/notebooks';
import { CellOutputs } from './cell-outputs';

vi.mock('./plotly-chart', () => ({
  default: ({ spec }: { spec: { layout?: { title?: string } } }) => <div data-testid="plotly-chart">{spec.layout?.title}</div>,
}));

const labelOf = (cellId: string) => ({ a: '[1]', b: '[2]' })[cellId] ?? '[?]';
const show = (cell: Partial<ApiCell>) => render(<CellOutputs cell={{ ...makeCell({ id: 'b' }), ...cell }} labelOf={labelOf} />);

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
