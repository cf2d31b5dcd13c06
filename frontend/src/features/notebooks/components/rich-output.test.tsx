import { act, render, screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeCell } from '../../../testing/fixtures';
import type { ApiCell } from '../api/notebooks';
import { CellOutputs } from './cell-outputs';
import { FRAME_MAX_HEIGHT, FRAME_MESSAGE, renderMarkdown, requestedHeight } from './rich-output';

const show = (outputs: ApiCell['outputs']) =>
  render(<CellOutputs cell={{ ...makeCell({ id: 'b' }), outputs }} labelOf={() => '[1]'} />);

describe('rich outputs', () => {
  it('puts HTML in a sandboxed iframe without the app origin, and says when it was cut', () => {
    const { container } = show([{ kind: 'html', html: '<b id="x">bold</b><script>steal()</script>', truncated: true }]);
    const frame = screen.getByTitle('HTML output') as HTMLIFrameElement;
    expect(frame.getAttribute('sandbox')).toBe('allow-scripts');
    expect(frame.getAttribute('srcdoc')).toContain('<b id="x">bold</b><script>steal()</script>');
    expect(frame.getAttribute('src')).toBeNull();
    // Nothing of it reached the page itself.
    expect(container.querySelector('#x')).toBeNull();
    expect(screen.getByText(/the HTML was too long/)).toBeTruthy();
  });

  it("sizes the frame to the height its own document reports, and ignores other windows' messages", () => {
    show([{ kind: 'html', html: '<p>hi</p>', truncated: false }]);
    const frame = screen.getByTitle('HTML output') as HTMLIFrameElement;
    const post = (data: unknown, source: MessageEventSource | null, origin = 'null') =>
      act(() => {
        window.dispatchEvent(new MessageEvent('message', { data, source, origin }));
      });
    post({ type: FRAME_MESSAGE, height: 321 }, frame.contentWindow);
    expect(frame.style.height).toBe('321px');
    post({ type: FRAME_MESSAGE, height: 50 }, window);
    post({ type: FRAME_MESSAGE, height: 60 }, frame.contentWindow, 'http://evil.example');
    post({ type: 'other', height: 70 }, frame.contentWindow);
    post({ type: FRAME_MESSAGE, height: '80' }, frame.contentWindow);
    expect(frame.style.height).toBe('321px');
    post({ type: FRAME_MESSAGE, height: 1e9 }, frame.contentWindow);
    expect(frame.style.height).toBe(`${FRAME_MAX_HEIGHT}px`);
  });

  it('validates a requested height', () => {
    expect(requestedHeight({ type: FRAME_MESSAGE, height: 10.2 })).toBe(24);
    expect(requestedHeight({ type: FRAME_MESSAGE, height: Number.NaN })).toBeNull();
    expect(requestedHeight(null)).toBeNull();
    expect(requestedHeight('height')).toBeNull();
  });

  it('shows SVG as an image, never as live DOM', () => {
    const svg = '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script><circle r="4"/></svg>';
    const { container } = show([{ kind: 'svg', svg }]);
    const image = screen.getByRole('img', { name: 'SVG image' });
    expect(image.getAttribute('src')).toBe(`data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}`);
    expect(container.querySelector('svg, script, circle')).toBeNull();
  });

  it('renders markdown and removes what could run', () => {
    show([
      {
        kind: 'markdown',
        markdown: '# Title\n\n*some* `code` [link](javascript:alert(1))\n\n<img src=x onerror="alert(1)"><script>alert(2)</script>',
        truncated: false,
      },
    ]);
    expect(screen.getByRole('heading', { level: 1 }).textContent).toBe('Title');
    expect(screen.getByText('some').tagName).toBe('EM');
    const html = renderMarkdown('[link](javascript:alert(1)) <img src=x onerror="alert(1)"><script>alert(2)</script>');
    expect(html).not.toMatch(/javascript:|onerror|<script/);
    expect(document.querySelector('.markdown-output script, .markdown-output [onerror]')).toBeNull();
  });

  it('shows PNG and JPEG as images and JSON pretty-printed in a collapsible block', () => {
    show([
      { kind: 'image', mime: 'image/jpeg', data: '/9g=' },
      { kind: 'json', data: { a: [1, null], b: 'x' } },
    ]);
    expect(screen.getByRole('img', { name: 'Figure' }).getAttribute('src')).toBe('data:image/jpeg;base64,/9g=');
    const block = document.querySelector('details.json-output') as HTMLDetailsElement;
    expect(block.open).toBe(true);
    expect(block.querySelector('summary')?.textContent).toBe('JSON object (2 keys)');
    expect(block.querySelector('pre')?.textContent).toBe(JSON.stringify({ a: [1, null], b: 'x' }, null, 2));
  });
});
