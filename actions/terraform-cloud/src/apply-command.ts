import { ConfigurationError } from '@notebook-ship/action-kit';
import { renderApplySection, renderOutputsSummary, type ApplyResult } from './apply-report';
import { marker, readFingerprint, readRunId, renderPlanComment, withApplySection } from './comment';
import type { Outcome } from './outcome';
import { failureLines, readPlanDetails, type PlanDetails } from './plan-details';
import { judge, type ReviewedPlan } from './review';
import { reviewedFromRun } from './reviewed-run';
import { isFinal } from './run-states';
import type { Watched } from './run-watch';
import { remainingMs, waitForUnlock, watch, type Session } from './session';
import { startRun, type StartedRun } from './start-run';
import { readOutputs, waitForProcessedState, type WorkspaceOutputs } from './workspace-outputs';

/**
 * Plans the commit, compares the plan with the one reviewed on its pull request, and applies only a match;
 * anything else is discarded. Reports the result on the pull request and outputs the workspace outputs.
 */
export async function applyCommand(session: Session): Promise<Outcome> {
  const { api, config, facts } = session;
  const reviewed = await findReviewedPlan(session);
  if (config.requireReviewedPlan && reviewed.digest === undefined) {
    const advice =
      reviewed.advice ??
      'Merge changes through a pull request planned by this action (command: plan), or set ' +
        '"require-reviewed-plan: false" to apply unreviewed commits.';
    throw new ConfigurationError(`Not applying: ${reviewed.missing}. ${advice}`);
  }

  const workspace = await api.workspace(config.organization, config.workspace);
  await waitForUnlock(session, workspace);
  const planned = await startRun(session, workspace, 'apply');
  const { url } = planned;
  const runId = planned.run.id;
  const ending = await decide(session, planned, workspace.id, reviewed);
  const section = renderApplySection(
    { organization: config.organization, workspace: config.workspace, runId, runUrl: url, sha: facts.sha },
    ending.result,
  );
  await reportOnPullRequest(session, reviewed, section);
  const { details, outputs } = ending;
  return {
    result: { run: { id: runId, url, status: ending.status }, plan: details, workspaceOutputs: outputs },
    summary: [
      section,
      details ? planSummary(session, runId, url, ending.status, details, planned) : '',
      outputs ? renderOutputsSummary(outputs.values, outputs.sensitive) : '',
    ]
      .filter(Boolean)
      .join('\n\n'),
    failure: ending.failure,
  };
}

interface Ending {
  result: ApplyResult;
  status: string;
  details?: PlanDetails;
  outputs?: WorkspaceOutputs;
  failure?: string;
}

/** From a run that stopped planning to how the apply ends: applied, nothing to do, rejected, or failed. */
async function decide(
  session: Session,
  planned: StartedRun,
  workspaceId: string,
  reviewed: ReviewedPlan,
): Promise<Ending> {
  const { api, config, guard } = session;
  let run = planned.run;
  const { url } = planned;
  if (run.status === 'policy_override') {
    const stopped = await guard.stop('a Sentinel policy soft-failed and needs an override by a person');
    guard.release();
    const reason =
      'A Sentinel policy soft-failed: the run needs an override in HCP Terraform, which this action never gives';
    return {
      result: { kind: 'rejected', reason, differences: [] },
      status: 'discarded',
      failure: `${reason}; ${stopped}. ${url}`,
    };
  }
  if (run.status === 'planned_and_finished') {
    guard.release();
    session.io.info('The plan has no changes: nothing to apply.');
    const details = await readPlanDetails(session, run);
    const outputs = await readOutputs(api, workspaceId, outputsWait(session), session.io);
    return { result: { kind: 'no-changes' }, status: run.status, details, outputs };
  }
  if (isFinal(run.status)) {
    guard.release();
    const errors = await failureLines(session, run.planId ? await api.plan(run.planId) : undefined);
    return {
      result: { kind: 'failed', status: run.status, errors },
      status: run.status,
      failure: `Run ${run.id} ended ${run.status} while planning: ${errors[0]} (${url})`,
    };
  }

  const details = await readPlanDetails(session, run);
  const verdict = judge(reviewed, details.fingerprint, details.unavailable, config.requireReviewedPlan);
  if (!verdict.apply) {
    await api.runAction(run.id, 'discard', `Not applied by GitHub Actions: ${verdict.reason}.`);
    guard.release();
    const { reason, differences } = verdict;
    const failure = [`${reason}; run ${run.id} was discarded.`, ...differences.map((line) => `  ${line}`)].join('\n');
    return { result: { kind: 'rejected', reason, differences }, status: 'discarded', details, failure };
  }
  if (verdict.verified) session.io.info(verdict.note);
  else session.io.warning(verdict.note);

  await api.runAction(run.id, 'apply', `Applied by GitHub Actions: ${verdict.note}`);
  const applied = await watch(session, run.id, (current) => isFinal(current.status), `run ${run.id} to apply`);
  guard.release();
  run = applied.run;
  const phase = run.applyId ? await api.apply(run.applyId) : undefined;
  if (run.status !== 'applied') {
    const errors = await failureLines(session, phase);
    return {
      result: { kind: 'failed', status: run.status, errors },
      status: run.status,
      details,
      failure: `Run ${run.id} ended ${run.status}: ${errors[0]} (${url})`,
    };
  }
  await waitForProcessedState(api, workspaceId, run.id, outputsWait(session));
  const outputs = await readOutputs(api, workspaceId, outputsWait(session), session.io);
  const elapsedMs = planned.elapsedMs + applied.elapsedMs;
  return { result: { kind: 'applied', phase, elapsedMs, note: verdict.note }, status: run.status, details, outputs };
}

/**
 * The fingerprint kept in the plan comment of the pull request this commit was merged from, or, when the comment
 * has none, computed from the JSON plan of the run it shows.
 */
async function findReviewedPlan(session: Session): Promise<ReviewedPlan> {
  const { github, facts, config } = session;
  const sha = facts.sha.slice(0, 7);
  if (!github) return { missing: 'there is no "github-token" to find the pull request with' };
  const pullRequest = await github.mergedPullRequest(facts.sha);
  if (!pullRequest) return { missing: `commit ${sha} was not merged from a pull request` };
  const comment = await github.findComment(pullRequest.number, marker(config.organization, config.workspace));
  if (!comment) {
    const workspace = `${config.organization}/${config.workspace}`;
    return { pullRequest, missing: `PR #${pullRequest.number} has no plan comment for ${workspace}` };
  }
  const fingerprint = readFingerprint(comment.body);
  if (!fingerprint) {
    // The plan token could not read the JSON plan: this token may, from the run the comment shows.
    const runId = readRunId(comment.body);
    if (runId) return reviewedFromRun(session, runId, pullRequest, comment);
    const missing = `the plan comment on PR #${pullRequest.number} has no fingerprint (its plan showed counts only)`;
    return { pullRequest, comment, missing };
  }
  session.io.info(`Reviewed plan: PR #${pullRequest.number} (${comment.url}), ${fingerprint.digest}.`);
  return { pullRequest, comment, digest: fingerprint.digest, entries: fingerprint.entries };
}

/** Adds the result to the plan comment (or a new comment); a GitHub failure here never fails an apply. */
async function reportOnPullRequest(session: Session, reviewed: ReviewedPlan, section: string): Promise<void> {
  const { github, config } = session;
  const pull = reviewed.pullRequest?.number;
  if (!github || pull === undefined) return;
  try {
    const comment = reviewed.comment
      ? await github.updateComment(reviewed.comment.id, withApplySection(reviewed.comment.body, section))
      : await github.createComment(pull, withApplySection(marker(config.organization, config.workspace), section));
    session.io.info(`Reported the result on PR #${pull}: ${comment.url}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    session.io.warning(`Could not report the result on PR #${pull}: ${reason}`);
  }
}

function planSummary(
  session: Session,
  runId: string,
  url: string,
  status: string,
  details: PlanDetails,
  planned: Watched,
): string {
  return renderPlanComment({
    organization: session.config.organization,
    workspace: session.config.workspace,
    runId,
    runUrl: url,
    status,
    sha: session.facts.sha,
    counts: details.counts,
    hasChanges: details.hasChanges,
    plan: details.model,
    planUnavailable: details.unavailable,
    fingerprint: details.fingerprint,
    queuedMs: planned.queuedMs,
    elapsedMs: planned.elapsedMs,
  });
}

function outputsWait(session: Session) {
  return {
    intervalMs: Math.min(session.config.pollIntervalMs, 2_000),
    timeoutMs: Math.min(remainingMs(session), 5 * 60_000),
    clock: session.clock,
  };
}
