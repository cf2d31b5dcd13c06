import type Plotly from 'plotly.js-dist-min';

/**
 * The trace types of plotly.js-cartesian-dist-min (its README; plotly-bundle.test.ts checks them against the package):
 * what plotly express draws for scatter/line/area/ecdf, bar/timeline, histogram, box/strip, violin, pie,
 * density_heatmap/contour, imshow and ternary plots. Its chunk is about a third of the full bundle.
 */
export const PARTIAL_TRACES: ReadonlySet<string> = new Set([
  'bar',
  'box',
  'contour',
  'heatmap',
  'histogram',
  'histogram2d',
  'histogram2dcontour',
  'image',
  'pie',
  'scatter',
  'scatterternary',
  'violin',
]);

export type PlotlyBundle = 'partial' | 'full';
export type PlotlyApi = Pick<typeof Plotly, 'react' | 'purge'>;

/**
 * The partial bundle unless a trace needs what only the full one has (scattergl, which plotly express picks past
 * 1,000 points, maps, 3D, sankey, ...). The spec is plotly.py's figure JSON, opaque to the protocol.
 */
export function bundleFor(spec: unknown): PlotlyBundle {
  const data = (spec as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return 'partial';
  const types = data.map((trace: unknown) => (trace as { type?: unknown } | null)?.type ?? 'scatter');
  return types.every((type) => typeof type === 'string' && PARTIAL_TRACES.has(type)) ? 'partial' : 'full';
}

const importers: Record<PlotlyBundle, () => Promise<{ default: PlotlyApi }>> = {
  partial: () => import('plotly.js-cartesian-dist-min'),
  full: () => import('plotly.js-dist-min'),
};
const loading = new Map<PlotlyBundle, Promise<PlotlyApi>>();

/** One promise per bundle for the page's lifetime, so React's `use` can suspend on it. */
export function loadPlotly(bundle: PlotlyBundle): Promise<PlotlyApi> {
  let promise = loading.get(bundle);
  if (!promise) {
    promise = importers[bundle]().then((module) => module.default);
    loading.set(bundle, promise);
  }
  return promise;
}
