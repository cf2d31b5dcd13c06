import { ConfigurationError, formatDuration } from '@notebook-ship/action-kit';
import { excerpt, NoAnswer, parseJson, type Answer } from './http';
import { explainAnswer } from './service';

/** One look at /health: ready, or why not yet. */
export type HealthState =
  | { ready: true; version: string }
  | { ready: false; kind: 'no-answer' | 'other-version' | 'bad-answer'; reason: string; version?: string };

const FIRST_DELAY_MS = 1_000;
const MAX_DELAY_MS = 10_000;
const ATTEMPT_TIMEOUT_MS = 10_000;

/** 1 s, 2 s, 4 s, 8 s, then every 10 s: quick while a task starts, gentle during a long rollout. */
export function backoffDelay(attempt: number): number {
  return Math.min(MAX_DELAY_MS, FIRST_DELAY_MS * 2 ** (attempt - 1));
}

export function judgeHealth(result: Answer | NoAnswer, expectedVersion: string, tokenGiven: boolean): HealthState {
  if (result instanceof NoAnswer) return { ready: false, kind: 'no-answer', reason: result.message };
  const body = result.contentType === 'application/json' ? parseJson(result) : undefined;
  const health = body as { status?: unknown; version?: unknown } | undefined;
  if (result.status !== 200 || health?.status !== 'ok') {
    const reason =
      result.status === 200 && body !== undefined
        ? `GET ${result.url.pathname} answered ${excerpt(result)} instead of {"status": "ok", ...}`
        : explainAnswer('GET', result, tokenGiven);
    return { ready: false, kind: 'bad-answer', reason };
  }
  const version = typeof health.version === 'string' ? health.version : '';
  if (expectedVersion && version !== expectedVersion) {
    return {
      ready: false,
      kind: 'other-version',
      version,
      reason: `reports version "${version}", waiting for "${expectedVersion}"`,
    };
  }
  return { ready: true, version };
}

export interface WaitOptions {
  healthUrl: URL;
  expectedVersion: string;
  tokenGiven: boolean;
  timeoutMs: number;
  probe: (timeoutMs: number) => Promise<Answer>;
  now: () => number;
  sleep: (ms: number) => Promise<void>;
  log: (line: string) => void;
}

export interface Ready {
  version: string;
  attempts: number;
  waitedMs: number;
}

/** Looks at /health with backoff until it is ready (with the expected version) or the deadline passes. */
export async function waitUntilReady(options: WaitOptions): Promise<Ready> {
  const { healthUrl, expectedVersion, tokenGiven, timeoutMs, probe, now, sleep, log } = options;
  const started = now();
  const deadline = started + timeoutMs;
  for (let attempt = 1; ; attempt++) {
    const attemptTimeout = Math.max(1_000, Math.min(ATTEMPT_TIMEOUT_MS, deadline - now()));
    const result = await probe(attemptTimeout).catch((error: unknown) => {
      if (error instanceof NoAnswer) return error;
      throw error;
    });
    const state = judgeHealth(result, expectedVersion, tokenGiven);
    if (state.ready) return { version: state.version, attempts: attempt, waitedMs: now() - started };
    const remaining = deadline - now();
    if (remaining <= 0) throw notReady(state, healthUrl, expectedVersion, attempt, now() - started);
    const delay = Math.min(backoffDelay(attempt), remaining);
    log(`${healthUrl.href}: attempt ${attempt}: ${state.reason}; next look in ${formatDuration(delay)}.`);
    await sleep(delay);
  }
}

function notReady(
  state: Exclude<HealthState, { ready: true }>,
  healthUrl: URL,
  expectedVersion: string,
  attempts: number,
  waitedMs: number,
): ConfigurationError {
  const after = `after ${formatDuration(waitedMs)} (${attempts} attempts)`;
  switch (state.kind) {
    case 'other-version':
      return new ConfigurationError(
        `${healthUrl.href} still reports version "${state.version}" ${after}, expected "${expectedVersion}": the new ` +
          'task has not taken over and the old one still answers. Did the deployment complete? A new task that fails ' +
          'its health check is stopped and the old one keeps serving (the deploy step lists the stopped tasks).',
      );
    case 'no-answer':
      return new ConfigurationError(
        `The service did not become ready ${after}: ${state.reason}. Is the ECS service running a task, and do the ` +
          'load balancer and security groups let the traffic in? The service events and the task logs say why.',
      );
    case 'bad-answer':
      return new ConfigurationError(`The service did not become ready ${after}: ${state.reason}`);
  }
}
