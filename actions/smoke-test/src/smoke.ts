import { ConfigurationError, formatDuration, type Io } from '@notebook-ship/action-kit';
import { sleep } from './abort';
import { createSmokeNotebook, notebookName, type SmokeNotebook } from './api';
import { checkAuth } from './auth';
import type { CheckName } from './checks';
import { deleteNotebook } from './cleanup';
import { judgeBundleUrls, judgeFrontend } from './frontend';
import { NoAnswer, request } from './http';
import type { SmokeConfig } from './inputs';
import { waitUntilReady } from './ready';
import { runChecks, type CheckResult } from './run-checks';
import { Service } from './service';
import { loadSite, type Site } from './site';
import { runCellsLive } from './websocket';

export interface SmokeOutcome {
  results: CheckResult[];
  /** What /health reported, when the ready check got that far. */
  version?: string;
}

/** Every selected check against the deployment, cleanup last whatever happened. */
export async function smokeTest(config: SmokeConfig, signal: AbortSignal, io: Io, env: NodeJS.ProcessEnv): Promise<SmokeOutcome> {
  const service = new Service(config.apiUrl, config.token, signal);
  const edge = new Service(config.url, config.token, signal);
  let site: Promise<Site> | undefined;
  const loadOnce = () => (site ??= loadSite(config.url, signal));
  let created: { id: string; name: string } | undefined;
  let notebook: SmokeNotebook | undefined;
  let version: string | undefined;

  const bodies: Record<CheckName, () => Promise<string>> = {
    ready: async () => {
      const healthUrl = service.url('health');
      const ready = await waitUntilReady({
        healthUrl,
        expectedVersion: config.expectedVersion,
        tokenGiven: service.tokenGiven,
        timeoutMs: config.timeoutMs,
        probe: (timeoutMs) => request(healthUrl, { timeoutMs, signal }),
        now: Date.now,
        sleep: (ms) => sleep(ms, signal),
        log: (line) => io.info(line),
      });
      version = ready.version;
      const waited = ready.attempts > 1 ? ` after ${ready.attempts} attempts (${formatDuration(ready.waitedMs)})` : '';
      return `/health is ok with version "${ready.version}"${waited}`;
    },
    frontend: async () => judgeFrontend(await loadOnce()),
    'same-origin': async () => {
      const body = (await edge.call('GET', 'api/notebooks', { expect: [200] })) as { notebooks?: unknown };
      if (!Array.isArray(body.notebooks)) throw new ConfigurationError('GET /api/notebooks through url answered JSON without a notebooks list.');
      const loaded = await loadOnce().catch((error: unknown) => {
        if (error instanceof NoAnswer) return undefined;
        throw error;
      });
      const scan = loaded ? judgeBundleUrls(loaded, [config.url.hostname, config.apiUrl.hostname]) : 'bundle not scanned (the page did not load: see frontend)';
      return `${edge.url('api/notebooks').href} answers the API's JSON; ${scan}`;
    },
    api: async () => {
      const name = notebookName(env, new Date());
      notebook = await createSmokeNotebook(service, name, (id) => (created = { id, name }));
      const { id, first, second } = notebook;
      return `created notebook ${id} with cells ${first} (defines x) and ${second} (defines y, depends on ${first}) and read them back`;
    },
    websocket: async () => runCellsLive(service, notebook as SmokeNotebook, config.token, signal),
    auth: async () => {
      const outcome = await checkAuth(service, created?.id, signal);
      if (outcome.warning) io.warning(outcome.warning);
      return outcome.detail;
    },
    // Its own signal: cleanup also runs after a cancellation, while the runner waits for the step to end.
    cleanup: async () => deleteNotebook(new Service(config.apiUrl, config.token, new AbortController().signal), created),
  };

  const results = await runChecks(config.checks, bodies, signal, {
    now: Date.now,
    log: (line) => io.info(line),
    unexpected: (error) => io.debug(error.stack ?? error.message),
  });
  return { results, version };
}
