// Export a notebook as a file (a Python script, a Jupyter notebook or a static page) and import one from a file the
// user picks: docs/API.md (export and import) says what each format holds.
import { type ChangeEvent, useMemo, useRef, useState } from 'react';
import { messageOf } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { type ExportFormat, type ImportFormat, notebooksApi } from '../api/notebooks';

const EXPORTS: { format: ExportFormat; label: string; title: string }[] = [
  { format: 'py', label: 'Export .py', title: 'A Python script that runs the cells in dependency order' },
  { format: 'ipynb', label: 'Export .ipynb', title: 'A Jupyter notebook with the outputs' },
  { format: 'html', label: 'Export .html', title: 'A static page with the code and the outputs' },
];

/** Saves a blob under a name through a temporary link (the browser's download). */
export function saveFile(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

export function ExportButtons({ notebookId }: { notebookId: string }) {
  const { api } = useServices();
  const calls = useMemo(() => notebooksApi(api), [api]);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const download = async (format: ExportFormat) => {
    setBusy(true);
    setProblem(null);
    try {
      const { blob, filename } = await calls.exportFile(notebookId, format);
      saveFile(blob, filename);
    } catch (error) {
      setProblem(`Could not export: ${messageOf(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="export-buttons" role="group" aria-label="Export">
      {EXPORTS.map(({ format, label, title }) => (
        <button key={format} type="button" title={title} disabled={busy} onClick={() => void download(format)}>
          {label}
        </button>
      ))}
      {problem && (
        <span className="problem" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}

/** The format of a chosen file, from its extension. */
export function importFormatOf(filename: string): ImportFormat | null {
  const lower = filename.toLowerCase();
  if (lower.endsWith('.ipynb')) return 'ipynb';
  if (lower.endsWith('.py')) return 'py';
  return null;
}

const MAX_IMPORT_BYTES = 4 * 1024 * 1024; // its JSON-escaped form must stay under the server's 8 MiB body limit

export function ImportButton({ onImported }: { onImported: (notebookId: string) => void | Promise<void> }) {
  const { api } = useServices();
  const calls = useMemo(() => notebooksApi(api), [api]);
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const chosen = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setProblem(null);
    const format = importFormatOf(file.name);
    if (!format) {
      setProblem(`Cannot import ${file.name}: choose a Jupyter notebook (.ipynb) or a Python script (.py).`);
      return;
    }
    if (file.size > MAX_IMPORT_BYTES) {
      setProblem(`Cannot import ${file.name}: it is larger than 4 MiB.`);
      return;
    }
    setBusy(true);
    try {
      const name = file.name.replace(/\.(ipynb|py)$/i, '').trim() || 'Imported notebook';
      const id = await calls.importNotebook(name.slice(0, 200), format, await file.text());
      await onImported(id);
    } catch (error) {
      setProblem(`Could not import ${file.name}: ${messageOf(error)}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <span className="import-button">
      <input
        ref={input}
        type="file"
        accept=".ipynb,.py"
        aria-label="Notebook file to import"
        hidden
        onChange={(event) => void chosen(event)}
      />
      <button type="button" disabled={busy} onClick={() => input.current?.click()}>
        Import…
      </button>
      {problem && (
        <span className="problem" role="alert">
          {problem}
        </span>
      )}
    </span>
  );
}
