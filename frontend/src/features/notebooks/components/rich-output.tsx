// A value's own rich displays (HTML, SVG, markdown, JSON). All of it is written by the notebook's code, so none of it
// runs with the app's origin: HTML goes into a sandboxed iframe without allow-same-origin (its scripts run, but in an
// opaque origin: no cookies, storage, token or DOM of the app), SVG is shown as an image, markdown is sanitized.
import DOMPurify from 'dompurify';
import { marked } from 'marked';
import { useEffect, useMemo, useRef, useState } from 'react';

export const FRAME_SANDBOX = 'allow-scripts';
export const FRAME_MESSAGE = 'notebook-ship:frame-height';
export const FRAME_MIN_HEIGHT = 24;
export const FRAME_MAX_HEIGHT = 4000;

// Runs first inside the frame: reports the document's height to the parent whenever it changes.
const RESIZE_SCRIPT = `<script>(() => {
  let last = -1;
  const report = () => {
    const height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (height !== last) { last = height; parent.postMessage({ type: ${JSON.stringify(FRAME_MESSAGE)}, height }, '*'); }
  };
  new ResizeObserver(report).observe(document.documentElement);
  addEventListener('load', report);
})();</script>`;

export function frameDocument(html: string): string {
  return `<!DOCTYPE html><meta charset="utf-8"><style>html{overflow:auto}body{margin:8px;font-family:system-ui,sans-serif;font-size:14px}</style>${RESIZE_SCRIPT}${html}`;
}

/** The height a frame asked for, or null when the message is not a well-formed resize request. */
export function requestedHeight(data: unknown): number | null {
  if (typeof data !== 'object' || data === null) return null;
  const { type, height } = data as { type?: unknown; height?: unknown };
  if (type !== FRAME_MESSAGE || typeof height !== 'number' || !Number.isFinite(height)) return null;
  return Math.min(FRAME_MAX_HEIGHT, Math.max(FRAME_MIN_HEIGHT, Math.ceil(height)));
}

export function HtmlFrame({ html }: { html: string }) {
  const frame = useRef<HTMLIFrameElement>(null);
  const [height, setHeight] = useState(150);
  const document = useMemo(() => frameDocument(html), [html]);
  useEffect(() => {
    const onMessage = (event: MessageEvent) => {
      // Only this frame's own document may size it: a sandboxed frame's origin is the opaque "null".
      if (!frame.current || event.source !== frame.current.contentWindow || event.origin !== 'null') return;
      const asked = requestedHeight(event.data);
      if (asked !== null) setHeight(asked);
    };
    window.addEventListener('message', onMessage);
    return () => window.removeEventListener('message', onMessage);
  }, []);
  return (
    <iframe
      ref={frame}
      className="html-output"
      title="HTML output"
      sandbox={FRAME_SANDBOX}
      srcDoc={document}
      referrerPolicy="no-referrer"
      style={{ height }}
    />
  );
}

export function SvgView({ svg }: { svg: string }) {
  // As an <img>, an SVG's scripts and external loads never run.
  const source = useMemo(() => `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`, [svg]);
  return <img className="image-output svg-output" src={source} alt="SVG image" />;
}

export function renderMarkdown(markdown: string): string {
  const html = marked.parse(markdown, { async: false, gfm: true });
  return DOMPurify.sanitize(html, { USE_PROFILES: { html: true } });
}

export function MarkdownView({ markdown }: { markdown: string }) {
  const html = useMemo(() => renderMarkdown(markdown), [markdown]);
  return <div className="markdown-output" dangerouslySetInnerHTML={{ __html: html }} />;
}

export function JsonView({ data }: { data: unknown }) {
  const text = useMemo(() => JSON.stringify(data, null, 2), [data]);
  const summary = Array.isArray(data) ? `JSON array (${data.length} items)` : data !== null && typeof data === 'object' ? `JSON object (${Object.keys(data).length} keys)` : 'JSON';
  return (
    <details className="json-output" open>
      <summary>{summary}</summary>
      <pre>{text}</pre>
    </details>
  );
}
