import { useCallback, useEffect, useMemo, useState } from 'react';
import { messageOf } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { useAuth } from '../../../lib/use-auth';
import { type KernelInfo, kernelsApi } from '../api/kernels';

// Memory and idle time change by themselves: the panel asks again this often while it is visible.
export const REFRESH_MS = 5000;

type KernelsState =
  | { status: 'loading'; kernels: KernelInfo[] }
  | { status: 'ready'; kernels: KernelInfo[] }
  | { status: 'error'; kernels: KernelInfo[]; error: string };

/** The running kernels, fetched again every REFRESH_MS while the tab is visible, and after a stop. */
export function useKernels() {
  const { api } = useServices();
  const { version } = useAuth();
  const calls = useMemo(() => kernelsApi(api), [api]);
  const [state, setState] = useState<KernelsState>({ status: 'loading', kernels: [] });

  const reload = useCallback(async () => {
    try {
      setState({ status: 'ready', kernels: await calls.list() });
    } catch (error) {
      setState((previous) => ({ status: 'error', kernels: previous.kernels, error: messageOf(error) }));
    }
  }, [calls]);

  useEffect(() => {
    void reload();
    const timer = setInterval(() => document.visibilityState === 'visible' && void reload(), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reload, version]);

  const stop = useCallback(
    async (notebookId: string) => {
      await calls.stop(notebookId);
      await reload();
    },
    [calls, reload],
  );

  return { ...state, reload, stop };
}
