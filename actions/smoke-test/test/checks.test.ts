import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { CHECKS, selectChecks } from '../src/checks';

describe('selectChecks', () => {
  it('runs every check for an empty input or "all"', () => {
    expect(selectChecks([])).toEqual({ checks: [...CHECKS], added: [] });
    expect(selectChecks(['frontend', 'ALL'])).toEqual({ checks: [...CHECKS], added: [] });
  });

  it('adds what the named checks need, keeps the run order, and always ends with cleanup', () => {
    expect(selectChecks(['websocket'])).toEqual({ checks: ['ready', 'api', 'websocket', 'cleanup'], added: ['ready', 'api'] });
    expect(selectChecks(['auth', 'Frontend'])).toEqual({ checks: ['ready', 'frontend', 'auth', 'cleanup'], added: ['ready'] });
    expect(selectChecks(['frontend'])).toEqual({ checks: ['frontend', 'cleanup'], added: [] });
    expect(selectChecks(['cleanup'])).toEqual({ checks: ['cleanup'], added: [] });
  });

  it('refuses unknown names, listing the valid ones', () => {
    expect(() => selectChecks(['ready', 'web-socket', 'db'])).toThrow(
      new ConfigurationError(
        'Input "checks" names unknown checks "web-socket", "db": use "all" or some of ready, frontend, same-origin, api, websocket, auth, cleanup.',
      ),
    );
  });
});
