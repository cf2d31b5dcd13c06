import { describe, expect, it } from 'vitest';
import { bundleFor, loadPlotly, PARTIAL_TRACES } from './plotly-bundle';

describe('bundleFor', () => {
  it('draws common plotly express figures with the partial bundle', () => {
    expect(bundleFor({ data: [{ type: 'bar', x: [1] }, { type: 'scatter', y: [2] }], layout: {} })).toBe('partial');
    expect(bundleFor({ data: [{ y: [1, 2] }] })).toBe('partial');
    expect(bundleFor({ data: [] })).toBe('partial');
  });

  it('falls back to the full bundle when one trace is missing from the partial one', () => {
    expect(bundleFor({ data: [{ type: 'bar' }, { type: 'scattergeo', lat: [0], lon: [0] }] })).toBe('full');
    expect(bundleFor({ data: [{ type: 'sankey', node: {}, link: {} }] })).toBe('full');
    expect(bundleFor({ data: [{ type: 'scattergl', x: [1] }] })).toBe('full');
  });
});

describe('the partial bundle', () => {
  it('registers exactly the trace types the choice relies on', async () => {
    const plotly = (await loadPlotly('partial')) as unknown as { PlotSchema: { get(): { traces: object } } };
    expect(new Set(Object.keys(plotly.PlotSchema.get().traces))).toEqual(PARTIAL_TRACES);
  });
});
