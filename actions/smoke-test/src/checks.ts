import { ConfigurationError } from '@notebook-ship/action-kit';

/** Every check, in the order they run; cleanup is always last and always runs. */
export const CHECKS = ['ready', 'frontend', 'same-origin', 'api', 'websocket', 'auth', 'cleanup'] as const;
export type CheckName = (typeof CHECKS)[number];

/** What a check needs to have passed first: the service up before it is used, the notebook before it is run. */
export const NEEDS: Record<CheckName, readonly CheckName[]> = {
  ready: [],
  frontend: [],
  'same-origin': ['ready'],
  api: ['ready'],
  websocket: ['api'],
  auth: ['ready'],
  cleanup: [],
};

export interface Selection {
  checks: CheckName[];
  /** Checks run because a requested one needs them, for the log. */
  added: CheckName[];
}

/** The `checks` input: empty or `all` for every check, else the named ones plus what they need, in run order. */
export function selectChecks(requested: readonly string[]): Selection {
  const names = requested.map((name) => name.toLowerCase());
  if (names.length === 0 || names.includes('all')) return { checks: [...CHECKS], added: [] };
  const unknown = names.filter((name) => !(CHECKS as readonly string[]).includes(name));
  if (unknown.length) {
    throw new ConfigurationError(
      `Input "checks" names unknown check${unknown.length > 1 ? 's' : ''} ${unknown.map((name) => `"${name}"`).join(', ')}: ` +
        `use "all" or some of ${CHECKS.join(', ')}.`,
    );
  }
  const wanted = new Set<CheckName>(['cleanup']);
  const add = (name: CheckName) => {
    wanted.add(name);
    NEEDS[name].forEach(add);
  };
  (names as CheckName[]).forEach(add);
  const checks = CHECKS.filter((name) => wanted.has(name));
  const added = checks.filter((name) => name !== 'cleanup' && !names.includes(name));
  return { checks, added };
}
