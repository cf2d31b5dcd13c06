// Light or dark: the system's preference (prefers-color-scheme) unless the user picked one, remembered in
// localStorage. The resolved theme is set as data-theme on <html>, which styles.css and Monaco read.
import { browserStorage } from './auth';

export const THEME_CHOICES = ['system', 'light', 'dark'] as const;
export type ThemeChoice = (typeof THEME_CHOICES)[number];
export type Theme = 'light' | 'dark';

export interface ThemeSnapshot {
  choice: ThemeChoice;
  theme: Theme;
}

const STORAGE_KEY = 'notebook-ship.theme';
const DARK_QUERY = '(prefers-color-scheme: dark)';

type Listener = () => void;

/** The part of a MediaQueryList this store uses. */
interface SystemPreference {
  readonly matches: boolean;
  addEventListener(type: 'change', listener: () => void): void;
}

export class ThemeStore {
  private snapshot: ThemeSnapshot;
  private readonly listeners = new Set<Listener>();

  constructor(
    private readonly storage: Pick<Storage, 'getItem' | 'setItem'> | null,
    private readonly media: SystemPreference | null,
    private readonly root: HTMLElement,
  ) {
    this.snapshot = this.resolve(readChoice(storage));
    this.apply();
    media?.addEventListener('change', () => this.update(this.snapshot.choice));
  }

  getSnapshot = (): ThemeSnapshot => this.snapshot;

  subscribe = (listener: Listener): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  choose(choice: ThemeChoice): void {
    try {
      this.storage?.setItem(STORAGE_KEY, choice);
    } catch {
      // Storage may be full or disabled (private mode): the choice then lasts for this page only.
    }
    this.update(choice);
  }

  private resolve(choice: ThemeChoice): ThemeSnapshot {
    const theme = choice === 'system' ? (this.media?.matches ? 'dark' : 'light') : choice;
    return { choice, theme };
  }

  private update(choice: ThemeChoice): void {
    const next = this.resolve(choice);
    if (next.choice === this.snapshot.choice && next.theme === this.snapshot.theme) return;
    this.snapshot = next;
    this.apply();
    for (const listener of this.listeners) listener();
  }

  private apply(): void {
    this.root.dataset.theme = this.snapshot.theme;
  }
}

function readChoice(storage: Pick<Storage, 'getItem'> | null): ThemeChoice {
  try {
    const stored = storage?.getItem(STORAGE_KEY);
    return THEME_CHOICES.find((choice) => choice === stored) ?? 'system';
  } catch {
    return 'system';
  }
}

let browserStore: ThemeStore | null = null;

/** The page's store, made on first use (jsdom has no matchMedia: it then follows no system preference). */
export function themeStore(): ThemeStore {
  browserStore ??= new ThemeStore(
    browserStorage(),
    typeof window.matchMedia === 'function' ? window.matchMedia(DARK_QUERY) : null,
    document.documentElement,
  );
  return browserStore;
}
