import { useEffect, useState } from 'react';
import { messageOf } from '../../../lib/format';
import { useServices } from '../../../lib/services';
import { useAuth } from '../../../lib/use-auth';
import { type KernelSizes, notebooksApi } from '../api/notebooks';

export type KernelSizesState = { sizes: KernelSizes | null; error: string | null };

/** The kernel sizes the server offers and where its kernels run: fixed by its settings, so asked once (again after
 * the token changes, which a refused first try may have needed). */
export function useKernelSizes(): KernelSizesState {
  const { api } = useServices();
  const { version } = useAuth();
  const [state, setState] = useState<KernelSizesState>({ sizes: null, error: null });

  useEffect(() => {
    let current = true;
    notebooksApi(api)
      .kernelSizes()
      .then(
        (sizes) => current && setState({ sizes, error: null }),
        (error: unknown) => current && setState({ sizes: null, error: messageOf(error) }),
      );
    return () => {
      current = false;
    };
  }, [api, version]);

  return state;
}
