import { useSyncExternalStore } from 'react';
import { type ThemeSnapshot, themeStore } from './theme';

export function useTheme(): ThemeSnapshot {
  const store = themeStore();
  return useSyncExternalStore(store.subscribe, store.getSnapshot);
}
