import Plotly from 'plotly.js-dist-min';
import { useEffect, useRef, useState } from 'react';
import type { PlotlyOutput } from '../model/protocol';

/** Draws a figure spec from plotly.py (`fig.to_json()`); resizes with the page. */
export default function PlotlyChart({ spec }: { spec: PlotlyOutput['spec'] }) {
  const ref = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    // The spec is plotly.py's figure JSON: the protocol carries it as opaque JSON, Plotly owns its shape.
    const figure = spec as { data?: Plotly.Data[]; layout?: Partial<Plotly.Layout> };
    Plotly.react(element, figure.data ?? [], { ...figure.layout, autosize: true }, {
      responsive: true,
      displaylogo: false,
    }).catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  }, [spec]);

  useEffect(() => {
    const element = ref.current;
    return () => {
      if (element) Plotly.purge(element);
    };
  }, []);

  return (
    <>
      <div ref={ref} className="plotly-chart" data-testid="plotly-chart" />
      {problem && <p className="problem">The chart could not be drawn: {problem}</p>}
    </>
  );
}
