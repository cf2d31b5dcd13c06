import { memo } from 'react';
import type { ApiCell } from '../api/notebooks';
import { labelCellReferences } from '../model/cell-references';
import type { CellError, CellOutput } from '../model/protocol';
import { PlotlyView } from './plotly-output';
import { HtmlFrame, JsonView, MarkdownView, SvgView } from './rich-output';
import { type TableSource, TableView } from './table-output';

interface Props {
  cell: ApiCell;
  labelOf: (cellId: string) => string;
  tables?: TableSource;
}

/** What the last run of a cell produced: console text, the error, the value; and, first, what keeps the current code
 * from running, even when an older run's error is still shown. */
export const CellOutputs = memo(function CellOutputs({ cell, labelOf, tables }: Props) {
  const { console: chunks, console_truncated: consoleTruncated, outputs, error, static_errors: staticErrors } = cell;
  const staticText = staticErrors.map((problem) => problem.message).join('\n');
  // Running a cell with a static error fails with that error: shown once, as the static one.
  const runError = error && !(staticErrors.length > 0 && error.message === staticText) ? error : null;
  if (!chunks.length && !outputs.length && !runError && !staticErrors.length) return null;
  return (
    <div className="cell-outputs">
      {staticErrors.length > 0 && (
        <ul className="static-errors" aria-label="Problems found before running">
          {staticErrors.map((problem, index) => (
            <li key={index}>{labelCellReferences(problem.message, labelOf)}</li>
          ))}
        </ul>
      )}
      {chunks.length > 0 && (
        <pre className="console" aria-label="Output">
          {consoleTruncated && (
            <span className="truncated-marker" title="Only the newest 100,000 characters of a run's output are kept">
              … earlier output truncated{'\n'}
            </span>
          )}
          {chunks.map((chunk, index) => (
            <span key={index} className={chunk.stream === 'stderr' ? 'stderr' : undefined}>
              {labelCellReferences(chunk.text, labelOf)}
            </span>
          ))}
        </pre>
      )}
      {runError && <ErrorView error={runError} labelOf={labelOf} />}
      {outputs.map((output, index) => (
        <OutputView key={index} output={output} tables={tables} />
      ))}
    </div>
  );
});

function ErrorView({ error, labelOf }: { error: CellError; labelOf: (cellId: string) => string }) {
  const elsewhere = error.traceback.filter((frame) => frame.cell_id);
  return (
    <div className="error-output" role="alert">
      <pre>{labelCellReferences(error.text || `${error.type}: ${error.message}`, labelOf)}</pre>
      {elsewhere.length > 0 && (
        <p className="muted">
          Traceback through{' '}
          {[...new Set(elsewhere.map((frame) => labelOf(frame.cell_id as string)))].join(', ')}
        </p>
      )}
    </div>
  );
}

function OutputView({ output, tables }: { output: CellOutput; tables: TableSource | undefined }) {
  switch (output.kind) {
    case 'table':
      return <TableView key={output.table_id} table={output} source={tables} />;
    case 'plotly':
      return <PlotlyView output={output} />;
    case 'image':
      return <img className="image-output" src={`data:${output.mime};base64,${output.data}`} alt="Figure" />;
    case 'html':
      return (
        <>
          <HtmlFrame html={output.html} />
          {output.truncated && <p className="muted truncated-note">Cut: the HTML was too long to show whole.</p>}
        </>
      );
    case 'markdown':
      return (
        <>
          <MarkdownView markdown={output.markdown} />
          {output.truncated && <p className="muted truncated-note">Cut: the markdown was too long to show whole.</p>}
        </>
      );
    case 'svg':
      return <SvgView svg={output.svg} />;
    case 'json':
      return <JsonView data={output.data} />;
    case 'text':
      return (
        <>
          <pre className="text-output">{output.text}</pre>
          {output.truncated && <p className="muted truncated-note">Shortened: part of the value is not shown.</p>}
        </>
      );
    default:
      return <pre className="text-output">{JSON.stringify(output)}</pre>;
  }
}
