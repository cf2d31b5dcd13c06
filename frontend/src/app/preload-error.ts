// A deploy replaces the hashed chunks: a page loaded before it fails to import a lazy chunk (Monaco, Plotly, a
// route). Reloading picks up the new index.html; the marker keeps a chunk that is really missing from reloading forever.

const MARKER = 'notebook-ship.preload-reload';
const WINDOW_MS = 60_000;

interface Deps {
  target: Pick<Window, 'addEventListener' | 'removeEventListener'>;
  storage: Pick<Storage, 'getItem' | 'setItem'>;
  reload: () => void;
  now: () => number;
}

/** Reloads once on `vite:preloadError`; a second failure within a minute is left to the error boundary. */
export function reloadOnPreloadError({ target, storage, reload, now }: Deps): () => void {
  const listener = (event: Event) => {
    const last = Number(storage.getItem(MARKER) ?? 0);
    if (now() - last < WINDOW_MS) return;
    storage.setItem(MARKER, String(now()));
    event.preventDefault();
    reload();
  };
  target.addEventListener('vite:preloadError', listener);
  return () => target.removeEventListener('vite:preloadError', listener);
}
