import { useCallback, useEffect, useMemo, useState } from 'react';
import { messageOf } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { useAuth } from '../../../lib/use-auth';
import { type NotebookSummary, notebooksApi } from '../api/notebooks';

type ListState =
  | { status: 'loading'; notebooks: NotebookSummary[] }
  | { status: 'ready'; notebooks: NotebookSummary[] }
  | { status: 'error'; notebooks: NotebookSummary[]; error: string };

/** The notebooks, fetched again when the token changes and when the tab becomes visible. */
export function useNotebookList() {
  const { api } = useServices();
  const { version } = useAuth();
  const calls = useMemo(() => notebooksApi(api), [api]);
  const [state, setState] = useState<ListState>({ status: 'loading', notebooks: [] });

  const reload = useCallback(async () => {
    try {
      const notebooks = await calls.list();
      setState({ status: 'ready', notebooks });
    } catch (error) {
      setState((previous) => ({ status: 'error', notebooks: previous.notebooks, error: messageOf(error) }));
    }
  }, [calls]);

  useEffect(() => {
    void reload();
  }, [reload, version]);

  useEffect(() => {
    const onVisible = () => document.visibilityState === 'visible' && void reload();
    document.addEventListener('visibilitychange', onVisible);
    return () => document.removeEventListener('visibilitychange', onVisible);
  }, [reload]);

  const actions = useMemo(
    () => ({
      create: (name?: string) => calls.create(name),
      rename: async (id: string, name: string) => {
        await calls.rename(id, name);
        await reload();
      },
      remove: async (id: string) => {
        await calls.remove(id);
        await reload();
      },
    }),
    [calls, reload],
  );

  return { ...state, reload, ...actions };
}
