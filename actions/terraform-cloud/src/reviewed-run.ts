import type { IssueComment, PullRequest } from './github-api';
import { readPlanDetails } from './plan-details';
import type { ReviewedPlan } from './review';
import { succeeded } from './run-states';
import type { Session } from './session';
import { TfcApiError } from './tfc-http';

/**
 * The reviewed fingerprint of a plan comment that has none, computed from the run it names. HCP Terraform serves
 * the JSON plan only to tokens with admin access to the workspace, which the plan-only token of pull requests
 * lacks: the apply token, which has it, reads the reviewed run's JSON plan instead. The run must belong to the
 * workspace being applied; a run whose JSON plan cannot be read (expired, gone) gives no fingerprint, and says so.
 */
export async function reviewedFromRun(
  session: Session,
  runId: string,
  pullRequest: PullRequest,
  comment: IssueComment,
): Promise<ReviewedPlan> {
  const { api, config, io } = session;
  const pull = `PR #${pullRequest.number}`;
  const workspaceName = `${config.organization}/${config.workspace}`;
  const unusable = (why: string, advice = retryAdvice(pullRequest.number)): ReviewedPlan => ({
    pullRequest,
    comment,
    missing: `the plan comment on ${pull} has no fingerprint (its plan showed counts only), and ${why}`,
    advice,
  });
  io.info(
    `The plan comment on ${pull} (${comment.url}) has no fingerprint: reading the JSON plan of its run ${runId} ` +
      'to compute it.',
  );
  const workspace = await api.workspace(config.organization, config.workspace);
  try {
    const run = await api.run(runId);
    if (run.workspaceId !== workspace.id) {
      const other = run.workspaceId ? `workspace ${run.workspaceId}` : 'no workspace the API names';
      return unusable(
        `the run it names, ${runId}, belongs to ${other}, not to ${workspaceName} (${workspace.id}): ` +
          'it is not a plan of this workspace and cannot stand for its reviewed plan',
        'Plan the pull request again with this action for this workspace (command: plan), then re-run this job.',
      );
    }
    if (!succeeded(run.status) && run.status !== 'policy_override') {
      return unusable(`the run it names, ${runId}, ended ${run.status} without a plan to compare with`);
    }
    const details = await readPlanDetails(session, run, { warn: false });
    if (!details.fingerprint) {
      return unusable(
        `the JSON plan of its run ${runId} could not be read at apply time either: ${details.unavailable ?? 'unknown reason'}`,
      );
    }
    const { digest, entries } = details.fingerprint;
    io.info(
      `Reviewed plan: ${pull} (${comment.url}), ${digest}, computed at apply time from ${runId} because the plan ` +
        'token could not read its JSON plan.',
    );
    return { pullRequest, comment, digest, entries, computedFrom: runId };
  } catch (error) {
    if (!(error instanceof TfcApiError)) throw error;
    return unusable(`its run ${runId} could not be read: ${error.message}`);
  }
}

function retryAdvice(pull: number): string {
  return (
    `Re-run the plan job of PR #${pull} (so its comment names a fresh run) and then this job, give the plan token ` +
    'admin access to the workspace (so the comment records the fingerprint itself), or set ' +
    '"require-reviewed-plan: false" to apply without a reviewed plan.'
  );
}
