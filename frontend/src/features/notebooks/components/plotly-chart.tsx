import { use, useEffect, useRef, useState } from 'react';
import type { Data, Layout } from 'plotly.js-dist-min';
import { useTheme } from '../../../lib/use-theme';
import type { PlotlyOutput } from '../model/protocol';
import { bundleFor, loadPlotly } from './plotly-bundle';

// plotly.py's default template draws on white and light grey: on a dark page the figure takes the page's background
// and text colours, and dimmer grid lines unless the figure sets its own.
const DARK_LAYOUT: Partial<Layout> = { paper_bgcolor: 'rgba(0,0,0,0)', plot_bgcolor: 'rgba(0,0,0,0)' };
const DARK_AXIS = { gridcolor: '#363c48', zerolinecolor: '#4a5160' };

function themed(layout: Partial<Layout> | undefined, dark: boolean): Partial<Layout> {
  if (!dark) return { ...layout };
  return {
    ...layout,
    ...DARK_LAYOUT,
    font: { ...layout?.font, color: '#e3e6ec' },
    xaxis: { ...DARK_AXIS, ...layout?.xaxis },
    yaxis: { ...DARK_AXIS, ...layout?.yaxis },
  };
}

/** Draws a figure spec from plotly.py (`fig.to_json()`) with the smallest Plotly bundle that has its traces. */
export default function PlotlyChart({ spec }: { spec: PlotlyOutput['spec'] }) {
  const plotly = use(loadPlotly(bundleFor(spec)));
  const dark = useTheme().theme === 'dark';
  const ref = useRef<HTMLDivElement>(null);
  const [problem, setProblem] = useState<string | null>(null);

  useEffect(() => {
    const element = ref.current;
    if (!element) return;
    // The spec is plotly.py's figure JSON: the protocol carries it as opaque JSON, Plotly owns its shape.
    const figure = spec as { data?: Data[]; layout?: Partial<Layout> };
    plotly
      .react(element, figure.data ?? [], { ...themed(figure.layout, dark), autosize: true }, { responsive: true, displaylogo: false })
      .catch((error: unknown) => setProblem(error instanceof Error ? error.message : String(error)));
  }, [plotly, spec, dark]);

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
