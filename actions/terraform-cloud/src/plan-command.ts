import { ConfigurationError } from '@notebook-ship/action-kit';
import { marker, renderPlanComment, type PlanReport } from './comment';
import type { GitHubApi } from './github-api';
import type { Outcome } from './outcome';
import { failureLines, readPlanDetails, type PlanDetails } from './plan-details';
import { succeeded } from './run-states';
import type { Session } from './session';
import { startRun } from './start-run';

/** A speculative plan of the directory, reported on the pull request as one comment per workspace. */
export async function planCommand(session: Session): Promise<Outcome> {
  const { api, config, guard, facts } = session;
  const target = commentTarget(session);
  const workspace = await api.workspace(config.organization, config.workspace);
  const started = await startRun(session, workspace, 'plan');
  guard.release();
  const { run, url } = started;

  const failed = !succeeded(run.status) && run.status !== 'policy_override';
  const details: PlanDetails | undefined = failed ? undefined : await readPlanDetails(session, run);
  const report: PlanReport = {
    organization: config.organization,
    workspace: config.workspace,
    runId: run.id,
    runUrl: url,
    status: run.status,
    sha: facts.sha,
    counts: details?.counts ?? { add: 0, change: 0, destroy: 0, replace: 0, import: 0 },
    hasChanges: details?.hasChanges ?? false,
    plan: details?.model,
    planUnavailable: details?.unavailable,
    fingerprint: details?.fingerprint,
    queuedMs: started.queuedMs,
    elapsedMs: started.elapsedMs,
    errors: failed ? await failureLines(session, run.planId ? await api.plan(run.planId) : undefined) : undefined,
    notes: policyNotes(run.status),
  };
  const body = renderPlanComment(report);
  if (target) {
    const existing = await target.github.findComment(target.pull, marker(config.organization, config.workspace));
    const comment = existing
      ? await target.github.updateComment(existing.id, body)
      : await target.github.createComment(target.pull, body);
    session.io.info(`${existing ? 'Updated' : 'Posted'} the plan comment: ${comment.url}`);
  }
  return {
    result: { run: { id: run.id, url, status: run.status }, plan: details },
    summary: body,
    failure: failed ? `Plan ${run.id} ended ${run.status}: ${report.errors?.[0] ?? 'see the run'} (${url})` : undefined,
  };
}

/** The pull request to comment on, with the API to do it; none when the inputs or the event want no comment. */
function commentTarget(session: Session): { github: GitHubApi; pull: number } | undefined {
  const { config, facts, github } = session;
  if (!config.comment) return undefined;
  if (facts.pullRequest === undefined) {
    session.io.info(`Not a pull request (${facts.eventName}): no comment.`);
    return undefined;
  }
  if (!github) throw new ConfigurationError('Input "comment" is true but there is no "github-token" to comment with.');
  return { github, pull: facts.pullRequest };
}

function policyNotes(status: string): string[] | undefined {
  if (status === 'policy_soft_failed' || status === 'policy_override') {
    return ['A Sentinel policy soft-failed on this plan: applying it will need an override in HCP Terraform.'];
  }
  return undefined;
}
