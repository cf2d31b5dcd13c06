// Reads what `docker buildx build --progress=plain` printed: which Dockerfile steps came from the cache, and whether
// the registry cache was read and written. Plain progress numbers each vertex
// (`#7 [builder 2/5] RUN pip install ...`) and ends it with `#7 CACHED`, `#7 DONE 3.1s` or `#7 ERROR: ...`.

const VERTEX = /^#(\d+) (.*)$/;
const STEP = /^\[(?:[^\]]* )?\d+\/\d+\] /;

export interface CacheStats {
  /** Dockerfile steps (FROM, RUN, COPY, ...) of every stage built. */
  steps: number;
  cached: number;
  /** Whether buildx read the registry cache (false on a first build, when there is none yet). */
  imported: boolean;
  /** Whether buildx wrote the registry cache. */
  exported: boolean;
  /** Why writing the registry cache failed; the build ignores it, the summary should not. */
  exportError?: string;
}

export function cacheStats(log: string): CacheStats {
  const steps = new Set<string>();
  const cached = new Set<string>();
  const imports = new Set<string>();
  const exports = new Set<string>();
  let imported = false;
  let exported = false;
  let exportError: string | undefined;
  for (const line of log.split(/\r?\n/)) {
    const vertex = VERTEX.exec(line);
    if (!vertex) continue;
    const [, id, text] = vertex as unknown as [string, string, string];
    if (STEP.test(text)) steps.add(id);
    else if (text.startsWith('importing cache manifest from ')) imports.add(id);
    else if (text.startsWith('exporting cache to registry')) exports.add(id);
    else if (text.trim() === 'CACHED') cached.add(id);
    else if (text.startsWith('DONE') && imports.has(id)) imported = true;
    else if (text.startsWith('DONE') && exports.has(id)) exported = true;
    else if (text.startsWith('ERROR:') && exports.has(id)) exportError = text.replace(/^ERROR:\s*/, '');
  }
  const hits = [...cached].filter((id) => steps.has(id)).length;
  return { steps: steps.size, cached: hits, imported, exported, ...(exportError ? { exportError } : {}) };
}
