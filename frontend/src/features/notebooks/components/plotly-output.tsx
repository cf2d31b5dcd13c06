import { lazy, type RefObject, Suspense, useEffect, useRef, useState } from 'react';
import type { PlotlyOutput } from '../model/protocol';

// Plotly is the largest dependency: loaded with the first chart scrolled into view (plotly-bundle.ts picks which).
const PlotlyChart = lazy(() => import('./plotly-chart'));

export function PlotlyView({ output }: { output: PlotlyOutput }) {
  const ref = useRef<HTMLDivElement>(null);
  const visible = useNearViewport(ref);
  return (
    <div ref={ref} className="plotly-output">
      {visible ? (
        <Suspense fallback={<p className="muted chart-placeholder">Loading chart…</p>}>
          <PlotlyChart spec={output.spec} />
        </Suspense>
      ) : (
        <p className="muted chart-placeholder">Chart</p>
      )}
    </div>
  );
}

/** True once the element comes within a screen of the viewport (then stays true). */
function useNearViewport(ref: RefObject<HTMLElement | null>): boolean {
  const [near, setNear] = useState(() => typeof IntersectionObserver === 'undefined');
  useEffect(() => {
    const element = ref.current;
    if (near || !element) return;
    const observer = new IntersectionObserver(
      (entries) => {
        if (entries.some((entry) => entry.isIntersecting)) setNear(true);
      },
      { rootMargin: '100% 0px' },
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, [near, ref]);
  return near;
}
