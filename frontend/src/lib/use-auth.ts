import { useSyncExternalStore } from 'react';
import type { AuthSnapshot } from './auth';
import { useServices } from './services';

export function useAuth(): AuthSnapshot {
  const { auth } = useServices();
  return useSyncExternalStore(auth.subscribe, auth.getSnapshot);
}
