import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { json } from '../../../testing/fake-api';
import { renderApp } from '../../../testing/render';
import { actionText } from '../model/actions';
import { ActivityPanel } from './activity-panel';
import { AuditPage } from './audit-page';

const event = (action: string, time: string, detail: Record<string, string> = {}, notebookId: string | null = 'n1') => ({
  time,
  actor: { id: 'bob@example.com', name: 'Bob Example' },
  action,
  notebook_id: notebookId,
  detail,
});

const FIRST = {
  events: [event('update_cell', '2026-01-02T10:00:00Z', { cell_id: 'c1' }), event('run_all', '2026-01-02T09:00:00Z')],
  next_cursor: 'page-2',
};
const SECOND = { events: [event('create_notebook', '2026-01-01T08:00:00Z')], next_cursor: null };

describe('the Activity panel', () => {
  it("lists the notebook's events, newest first, in words, with Load more for older ones", async () => {
    const { requests } = renderApp(
      [{ path: '/', element: <ActivityPanel notebookId="n1" labelOf={(id) => (id === 'c1' ? '[1]' : undefined)} onClose={() => undefined} /> }],
      '/',
      { 'GET /api/audit': () => json(FIRST) },
    );
    const panel = await screen.findByRole('region', { name: 'Activity' });
    const table = await within(panel).findByRole('table', { name: 'Events' });
    const rows = within(table).getAllByRole('row').slice(1);
    expect(rows.map((row) => [...row.querySelectorAll('td')].slice(1).map((cell) => cell.textContent))).toEqual([
      ['Bob Example', 'Edited a cell', '[1]'],
      ['Bob Example', 'Ran all cells', ''],
    ]);
    expect(rows[0]?.querySelector('time')?.getAttribute('datetime')).toBe('2026-01-02T10:00:00Z');
    expect(requests[0]).toMatchObject({ method: 'GET', path: '/api/audit' });
    expect(within(panel).getByRole('button', { name: 'Load more' })).toBeTruthy();
  });

  it('asks for the page before the cursor and appends it; the last page has no Load more', async () => {
    const queries: string[] = [];
    renderApp([{ path: '/', element: <ActivityPanel notebookId="n 1" onClose={() => undefined} /> }], '/', {
      'GET /api/audit': (_params, _body, url) => {
        queries.push(url.search);
        return json(url.searchParams.get('before') === 'page-2' ? SECOND : FIRST);
      },
    });
    fireEvent.click(await screen.findByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(screen.getAllByRole('row')).toHaveLength(4));
    expect(screen.getAllByRole('row').at(-1)?.textContent).toContain('Created the notebook');
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
    expect(queries).toEqual(['?limit=50&notebook_id=n%201', '?limit=50&notebook_id=n%201&before=page-2']);
  });

  it("shows the server's reason when the log may not be read", async () => {
    renderApp([{ path: '/', element: <ActivityPanel notebookId="n1" onClose={() => undefined} /> }], '/', {
      'GET /api/audit': () => json({ detail: 'only admins and the notebook owner read its audit log' }, 403),
    });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not read the activity: only admins and the notebook owner read its audit log',
    );
  });
});

describe('the audit page', () => {
  it("lists every notebook's events with a link to each notebook", async () => {
    const queries: string[] = [];
    renderApp([{ path: '/audit', element: <AuditPage /> }], '/audit', {
      'GET /api/audit': (_params, _body, url) => (queries.push(url.search), json({ events: [event('set_access', '2026-01-02T10:00:00Z'), event('sign_in', '2026-01-02T09:00:00Z', {}, null)], next_cursor: null })),
    });
    expect(screen.getByRole('heading', { name: 'Audit log' })).toBeTruthy();
    const link = await screen.findByRole('link', { name: 'n1' });
    expect(link.getAttribute('href')).toBe('/notebooks/n1');
    expect(screen.getByText('Changed who has access')).toBeTruthy();
    expect(screen.getByText('Signed in')).toBeTruthy();
    expect(queries).toEqual(['?limit=50']);
  });
});

describe('actionText', () => {
  it('says known actions in words and spells out new ones', () => {
    expect(actionText('restore_version')).toBe('Restored a saved version');
    expect(actionText('export_notebook')).toBe('Export notebook');
  });
});
