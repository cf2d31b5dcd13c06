import { render, screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { CodePreview } from './code-preview';

const noop = () => undefined;

describe('CodePreview', () => {
  it('highlights Python keywords and strings, and escapes markup in the code', async () => {
    render(<CodePreview code={'def f():\n    return "<b>x</b>"'} language="python" label="Code" onActivate={noop} />);
    const preview = screen.getByRole('button', { name: 'Code' });
    await waitFor(() => expect(preview.dataset.highlighted).toBe('true'));
    expect(preview.querySelector('.hljs-keyword')?.textContent).toBe('def');
    expect(preview.querySelector('.hljs-string')?.textContent).toBe('"<b>x</b>"');
    expect(preview.querySelector('b')).toBeNull();
    expect(preview.textContent).toBe('def f():\n    return "<b>x</b>"');
  });

  it('highlights SQL', async () => {
    render(<CodePreview code="SELECT name FROM users WHERE id = 1" language="sql" label="Query" onActivate={noop} />);
    const preview = screen.getByRole('button', { name: 'Query' });
    await waitFor(() => expect(preview.querySelector('.hljs-keyword')?.textContent).toBe('SELECT'));
    expect(preview.querySelector('.hljs-number')?.textContent).toBe('1');
  });

  it('shows the placeholder of an empty cell', () => {
    render(<CodePreview code="" language="markdown" label="Text" onActivate={noop} />);
    expect(screen.getByRole('button', { name: 'Text' }).textContent).toBe('# Markdown');
  });
});
