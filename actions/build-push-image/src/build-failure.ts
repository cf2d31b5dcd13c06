// Why `docker buildx build --progress=plain` failed, told the way a user fixes it: the Dockerfile step that failed,
// the last lines it printed (pip's or npm's own error is there, not in buildx's last line), its exit status and
// where the step is in the Dockerfile. Each vertex's lines are `#<n> <text>`: its name first
// (`#9 [builder 3/5] RUN pip install ...`), then output with a timestamp (`#9 1.234 ERROR: No matching
// distribution`), and status lines (`#9 DONE 3.1s`, `#9 CACHED`, `#9 ERROR: process ... exit code: 1`). Vertices
// run in parallel, so their lines interleave. After the vertices buildx repeats the failure, shows the Dockerfile
// around the step (`Dockerfile:12` above a `-----` rule) and ends with `ERROR: failed to solve: ...`.

const VERTEX_LINE = /^#(\d+) (.*)$/;
const TIMESTAMPED = /^\d+\.\d+ ?(.*)$/;
const STATUS = /^(?:(?:DONE|CACHED|CANCELED)\b|\.\.\.$)/;
const STEP = /^\[(?:[^\]]* )?\d+\/\d+\] /;
// The registry cache is optional (`ignore-error=true`, a first build has none): its errors never fail a build.
const CACHE = /^(?:importing cache manifest from|exporting cache to)/;
const LOCATION = /^(\S+:\d+)$/;

interface Vertex {
  name: string;
  output: string[];
  error?: string;
}

export interface BuildFailure {
  /** The vertex that failed: a Dockerfile step (`[builder 3/5] RUN ...`) or buildx's own work (`exporting to image`). */
  vertex?: string;
  /** What that vertex printed, without vertex numbers and timestamps. */
  output: string[];
  /** The vertex's error (`process "/bin/sh -c ..." did not complete successfully: exit code: 1`). */
  vertexError?: string;
  /** The failed step in the Dockerfile (`Dockerfile:12`). */
  location?: string;
  /** buildx's last `ERROR:` line, without the word. */
  reason?: string;
}

export function parseBuildFailure(log: string): BuildFailure {
  const lines = log.split(/\r?\n/);
  const vertices = new Map<string, Vertex>();
  const failed: Vertex[] = [];
  let location: string | undefined;
  let reason: string | undefined;
  for (const [index, line] of lines.entries()) {
    const match = VERTEX_LINE.exec(line);
    if (!match) {
      const top = line.trim();
      if (top.startsWith('ERROR:')) reason = top.replace(/^ERROR:\s*/, '');
      else if (LOCATION.test(top) && /^-{5,}$/.test(lines[index + 1]?.trim() ?? '')) location ??= top;
      continue;
    }
    const [, id, text] = match as unknown as [string, string, string];
    const vertex = vertices.get(id);
    if (!vertex) vertices.set(id, { name: text.trim(), output: [] });
    else if (text.startsWith('ERROR:')) {
      vertex.error = text.replace(/^ERROR:\s*/, '');
      if (!CACHE.test(vertex.name)) failed.push(vertex);
    } else if (text.trim() !== vertex.name && !STATUS.test(text)) {
      vertex.output.push(TIMESTAMPED.exec(text)?.[1] ?? text);
    }
  }
  // A step's error is the cause; other vertices fail with it (or are canceled because of it).
  const cause = failed.find((vertex) => STEP.test(vertex.name)) ?? failed[0];
  return {
    ...(cause ? { vertex: cause.name, vertexError: cause.error } : {}),
    output: cause?.output ?? [],
    ...(location ? { location } : {}),
    ...(reason ? { reason } : {}),
  };
}

const SHOWN_LINES = 15;
const LINE_LENGTH = 300;

/** The error a failed build reports: one line to read first, then the failed step's last output lines. */
export function describeBuildFailure(log: string, exitCode: number): string {
  const failure = parseBuildFailure(log);
  const where = failure.location ? ` (${failure.location})` : '';
  const head = `docker buildx build failed with exit code ${exitCode}`;
  if (!failure.vertex) return `${head}: ${failure.reason ?? 'see the build log above'}${where}`;
  // buildx's last line usually repeats the step's error inside "failed to solve: ..."; said once is enough.
  const reason =
    failure.reason && failure.vertexError && !failure.reason.includes(failure.vertexError) ? ` (${failure.reason})` : '';
  const lines = [`${head}: \`${failure.vertex}\`${where} failed: ${failure.vertexError}${reason}`];
  const printed = failure.output.filter((line) => line.trim());
  const shown = printed.slice(-SHOWN_LINES);
  if (shown.length) {
    lines.push(printed.length > shown.length ? `Last ${shown.length} lines of its output:` : 'Its output:');
    lines.push(...shown.map((line) => `  ${line.length > LINE_LENGTH ? `${line.slice(0, LINE_LENGTH)}…` : line}`));
  }
  return lines.join('\n');
}
