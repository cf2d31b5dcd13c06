import { fireEvent, screen, waitFor } from '@testing-library/react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { NotebooksRoute } from '../../../app/routes/notebooks';
import { json } from '../../../testing/fake-api';
import { renderApp } from '../../../testing/render';
import { dispositionFilename } from '../api/notebooks';
import { ExportButtons, importFormatOf } from './notebook-transfer';

function openList(extra: Parameters<typeof renderApp>[2] = {}) {
  return renderApp(
    [
      { path: '/', element: <NotebooksRoute /> },
      { path: '/notebooks/:id', element: <p>notebook page</p> },
    ],
    '/',
    { 'GET /api/notebooks': () => json({ notebooks: [] }), ...extra },
  );
}

const choose = (file: File) =>
  fireEvent.change(screen.getByLabelText('Notebook file to import'), { target: { files: [file] } });

afterEach(() => vi.restoreAllMocks());

describe('importing a notebook', () => {
  it('sends the chosen file with its format and name, then opens the new notebook', async () => {
    const { requests, router } = openList({ 'POST /api/notebooks/import': () => json({ notebook_id: 'imp' }, 201) });
    await screen.findByText(/No notebooks yet/);
    const content = '{"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": []}';
    choose(new File([content], 'Sales report.ipynb', { type: 'application/json' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/notebooks/imp'));
    expect(requests.at(-1)).toMatchObject({
      method: 'POST',
      path: '/api/notebooks/import',
      body: { name: 'Sales report', format: 'ipynb', content },
    });
  });

  it("says why the server refused a file and stays on the list", async () => {
    const { router } = openList({
      'POST /api/notebooks/import': () =>
        json({ detail: [{ type: 'import_invalid', loc: ['body', 'content'], msg: 'the content is not JSON' }] }, 422),
    });
    await screen.findByText(/No notebooks yet/);
    choose(new File(['nope'], 'broken.ipynb'));
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not import broken.ipynb: content: the content is not JSON',
    );
    expect(router.state.location.pathname).toBe('/');
  });

  it('refuses files that are neither .ipynb nor .py without asking the server', async () => {
    const { requests } = openList();
    await screen.findByText(/No notebooks yet/);
    choose(new File(['x'], 'notes.docx'));
    expect((await screen.findByRole('alert')).textContent).toContain('choose a Jupyter notebook (.ipynb) or a Python');
    expect(requests.filter((request) => request.method === 'POST')).toEqual([]);
    expect(importFormatOf('a.PY')).toBe('py');
  });
});

describe('exporting a notebook', () => {
  it('downloads the file under the name the server gives', async () => {
    const created = vi.fn((_blob: Blob) => 'blob:export');
    URL.createObjectURL = created as unknown as typeof URL.createObjectURL;
    URL.revokeObjectURL = vi.fn();
    const clicked: { download: string; href: string }[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push({ download: this.download, href: this.href });
    });
    const { requests } = renderApp([{ path: '/', element: <ExportButtons notebookId="n1" /> }], '/', {
      'GET /api/notebooks/:notebook_id/export': () =>
        new Response('{"nbformat": 4}', {
          headers: {
            'content-type': 'application/x-ipynb+json',
            'content-disposition': `attachment; filename="Sales _.ipynb"; filename*=UTF-8''Sales%20%C3%A9.ipynb`,
          },
        }),
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Export .ipynb' }));
    await waitFor(() => expect(clicked).toEqual([{ download: 'Sales é.ipynb', href: 'blob:export' }]));
    expect(requests.at(-1)).toMatchObject({ method: 'GET', path: '/api/notebooks/n1/export' });
    expect(await created.mock.calls[0]?.[0].text()).toBe('{"nbformat": 4}');
  });

  it('says when the export failed', async () => {
    renderApp([{ path: '/', element: <ExportButtons notebookId="gone" /> }], '/', {});
    fireEvent.click(await screen.findByRole('button', { name: 'Export .py' }));
    expect((await screen.findByRole('alert')).textContent).toContain('Could not export: no fake for GET');
  });

  it('reads the file name of a Content-Disposition', () => {
    expect(dispositionFilename('attachment; filename="a.py"', 'x.py')).toBe('a.py');
    expect(dispositionFilename("attachment; filename=\"a.py\"; filename*=UTF-8''%E2%82%AC.py", 'x.py')).toBe('€.py');
    expect(dispositionFilename(null, 'notebook.py')).toBe('notebook.py');
  });
});
