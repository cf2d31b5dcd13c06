import { describe, expect, it } from 'vitest';
import { ThemeStore } from './theme';

function fakeMedia(matches: boolean) {
  const listeners: (() => void)[] = [];
  return {
    matches,
    addEventListener: (_type: string, listener: () => void) => void listeners.push(listener),
    flip(next: boolean) {
      this.matches = next;
      for (const listener of listeners) listener();
    },
  };
}

describe('ThemeStore', () => {
  it('follows the system preference until a theme is chosen, and remembers the choice', () => {
    const storage = new Map<string, string>();
    const store = { getItem: (key: string) => storage.get(key) ?? null, setItem: (key: string, value: string) => void storage.set(key, value) };
    const media = fakeMedia(true);
    const root = document.createElement('html');
    const themes = new ThemeStore(store, media, root);
    expect(themes.getSnapshot()).toEqual({ choice: 'system', theme: 'dark' });
    expect(root.dataset.theme).toBe('dark');

    media.flip(false);
    expect(root.dataset.theme).toBe('light');

    themes.choose('dark');
    expect(themes.getSnapshot()).toEqual({ choice: 'dark', theme: 'dark' });
    media.flip(false);
    expect(root.dataset.theme).toBe('dark');

    const again = new ThemeStore(store, media, document.createElement('html'));
    expect(again.getSnapshot()).toEqual({ choice: 'dark', theme: 'dark' });
  });

  it('ignores an unknown stored value and works without storage', () => {
    const root = document.createElement('html');
    expect(new ThemeStore({ getItem: () => 'purple', setItem: () => undefined }, null, root).getSnapshot().choice).toBe('system');
    const themes = new ThemeStore(null, null, root);
    themes.choose('light');
    expect(root.dataset.theme).toBe('light');
  });
});
