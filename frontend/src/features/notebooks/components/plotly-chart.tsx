import { use, useEffect, useRef, useState } from 'react';
import type { Data, Layout } from 'plotly.js-dist-min';
import type { PlotlyOutput } from '../model/protocol';
import { bundleFor, loadPlotly } from './plotly-bundle';

/** Draws a figure spec from plotly.py (`fig.to_json()`) with the smallest Plotly bundle that has its traces. */
export default function PlotlyChart({ spec }: { spec: PlotlyOutput['spec'] }) {
  const plotly = use(loadPlotly(bundleFor(spec)));
  const ref = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    // The spec is plotly.py's figure JSON: the protocol carries it as opaque JSON, Plotly owns its shape.
    const figure = spec as { data?: Data[]; layout?: Partial<Layout> };
    plotly
      .react(element, figure.data ?? [], { ...figure.layout, autosize: true }, { responsive: true, displaylogo: false })
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  }, [plotly, spec]);

  // Runs before a redraw with the other bundle too: each bundle cleans up only what it drew.
  useEffect(() => {
    const element = ref.current;
    return () => {
      if (element) plotly.purge(element);
    };
  }, [plotly]);

  return (
    <>
      <div ref={ref} className="plotly-chart" data-testid="plotly-chart" />
      {problem && <p className="problem">The chart could not be drawn: {problem}</p>}
    </>
  );
}
