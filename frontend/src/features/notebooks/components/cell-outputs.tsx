import { memo } from 'react';
import type { ApiCell } from '../api/notebooks';
import type { CellError, CellOutput } from '../model/protocol';
import { PlotlyView } from './plotly-output';
import { HtmlFrame, JsonView, MarkdownView, SvgView } from './rich-output';
import { TableView } from './table-output';

interface Props {
  cell: ApiCell;
  labelOf: (cellId: string) => string;
}

/** What the last run of a cell produced: console text, the error, the value. */
export const CellOutputs = memo(function CellOutputs({ cell, labelOf }: Props) {
  const { console: chunks, console_truncated: consoleTruncated, outputs, error, static_errors: staticErrors } = cell;
  const showStatic = staticErrors.length > 0 && !error;
  if (!chunks.length && !outputs.length && !error && !showStatic) return null;
  return (
    <div className="cell-outputs">
      {showStatic && (
        <ul className="static-errors" aria-label="Problems found before running">
          {staticErrors.map((problem, index) => (
            <li key={index}>{String((problem as { message?: unknown }).message ?? JSON.stringify(problem))}</li>
          ))}
        </ul>
      )}
      {chunks.length > 0 && consoleTruncated && (
        <p className="muted truncated-note">Earlier output was dropped: only the newest is kept.</p>
      )}
      {chunks.length > 0 && (
        <pre className="console" aria-label="Output">
          {chunks.map((chunk, index) => (
            <span key={index} className={chunk.stream === 'stderr' ? 'stderr' : undefined}>
              {chunk.text}
            </span>
          ))}
        </pre>
      )}
      {error && <ErrorView error={error} labelOf={labelOf} />}
      {outputs.map((output, index) => (
        <OutputView key={index} output={output} />
      ))}
    </div>
  );
});

function ErrorView({ error, labelOf }: { error: CellError; labelOf: (cellId: string) => string }) {
  const elsewhere = error.traceback.filter((frame) => frame.cell_id);
  return (
    <div className="error-output" role="alert">
      <pre>{error.text || `${error.type}: ${error.message}`}</pre>
      {elsewhere.length > 0 && (
        <p className="muted">
          Traceback through{' '}
          {[...new Set(elsewhere.map((frame) => labelOf(frame.cell_id as string)))].join(', ')}
        </p>
      )}
    </div>
  );
}

function OutputView({ output }: { output: CellOutput }) {
  switch (output.kind) {
    case 'table':
      return <TableView table={output} />;
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
