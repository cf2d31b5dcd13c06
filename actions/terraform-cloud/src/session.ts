import { context } from '@actions/github';
import { formatDuration, pollUntil, systemClock, type Clock, type Io } from '@notebook-ship/action-kit';
import type { GitHubApi, Repository } from './github-api';
import type { Config } from './inputs';
import type { RunGuard } from './run-guard';
import { watchRun, type Watched } from './run-watch';
import type { Run, TfcApi, Workspace } from './tfc-api';

/** What the workflow run says about where the action runs. */
export interface GitHubFacts {
  eventName: string;
  repository?: Repository;
  /** The commit planned or applied: the PR head for pull_request events, GITHUB_SHA otherwise. */
  sha: string;
  pullRequest?: number;
  workflowRunUrl?: string;
}

export function readFacts(): GitHubFacts {
  const pull = context.payload.pull_request as { number?: number; head?: { sha?: string } } | undefined;
  const [owner, repo] = (process.env.GITHUB_REPOSITORY ?? '').split('/');
  const repository = owner && repo ? { owner, repo } : undefined;
  const runLink = `${context.serverUrl}/${owner}/${repo}/actions/runs/${context.runId}`;
  return {
    eventName: context.eventName,
    repository,
    sha: pull?.head?.sha ?? context.sha,
    pullRequest: pull?.number,
    workflowRunUrl: repository && context.runId ? runLink : undefined,
  };
}

/** Everything a command works with, and the one deadline all its waits share. */
export interface Session {
  config: Config;
  api: TfcApi;
  guard: RunGuard;
  facts: GitHubFacts;
  github?: GitHubApi;
  io: Io;
  clock: Clock;
  deadline: number;
}

export function createSession(parts: Omit<Session, 'clock' | 'deadline'>, clock: Clock = systemClock): Session {
  return { ...parts, clock, deadline: clock.now() + parts.config.timeoutMs };
}

export function remainingMs(session: Session): number {
  return Math.max(session.deadline - session.clock.now(), 0);
}

/** Waits, when the workspace is locked, until it is unlocked: a run queued on a locked workspace cannot start. */
export async function waitForUnlock(session: Session, workspace: Workspace): Promise<number> {
  if (!workspace.locked) return 0;
  const started = session.clock.now();
  const { lockedBy } = workspace;
  const holder = lockedBy ? `${lockedBy.type.replace(/s$/, '')} ${lockedBy.id}` : 'someone';
  session.io.info(
    `Workspace ${session.config.organization}/${workspace.name} is locked by ${holder}` +
      `${workspace.lockedReason ? ` (${workspace.lockedReason})` : ''}; waiting for it to be unlocked.`,
  );
  await pollUntil({
    description: `workspace ${workspace.name} to be unlocked`,
    intervalMs: session.config.pollIntervalMs,
    timeoutMs: remainingMs(session),
    clock: session.clock,
    hint: 'Unlock the workspace in HCP Terraform, or raise "timeout-minutes".',
    check: async () => {
      const current = await session.api.workspaceById(workspace.id);
      return current.locked ? { done: false, state: 'locked' } : { done: true, value: undefined };
    },
  });
  const waited = session.clock.now() - started;
  session.io.info(`Workspace unlocked after ${formatDuration(waited)}.`);
  return waited;
}

export function watch(
  session: Session,
  runId: string,
  until: (run: Run) => boolean,
  description: string,
): Promise<Watched> {
  return watchRun({
    api: session.api,
    runId,
    until,
    description,
    intervalMs: session.config.pollIntervalMs,
    timeoutMs: remainingMs(session),
    clock: session.clock,
    log: (message) => session.io.info(message),
  });
}
