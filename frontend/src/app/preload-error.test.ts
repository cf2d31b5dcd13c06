import { describe, expect, it, vi } from 'vitest';
import { reloadOnPreloadError } from './preload-error';

function setup(now: { value: number }) {
  const target = new EventTarget();
  const reload = vi.fn();
  const stop = reloadOnPreloadError({ target: target as unknown as Window, storage: sessionStorage, reload, now: () => now.value });
  const fire = () => {
    const event = new Event('vite:preloadError', { cancelable: true });
    target.dispatchEvent(event);
    return event.defaultPrevented;
  };
  return { reload, fire, stop };
}

describe('reloadOnPreloadError', () => {
  it('reloads once, then lets a repeated failure surface', () => {
    sessionStorage.clear();
    const now = { value: 1_000_000 };
    const { reload, fire } = setup(now);
    expect(fire()).toBe(true);
    expect(reload).toHaveBeenCalledTimes(1);
    now.value += 5_000;
    expect(fire()).toBe(false);
    expect(reload).toHaveBeenCalledTimes(1);
  });

  it('reloads again after a later deploy', () => {
    sessionStorage.clear();
    const now = { value: 1_000_000 };
    const { reload, fire } = setup(now);
    fire();
    now.value += 10 * 60_000;
    expect(fire()).toBe(true);
    expect(reload).toHaveBeenCalledTimes(2);
  });

  it('stops listening', () => {
    sessionStorage.clear();
    const { reload, fire, stop } = setup({ value: 0 });
    stop();
    fire();
    expect(reload).not.toHaveBeenCalled();
  });
});
