import * as core from '@actions/core';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { marker, renderPlanComment, type PlanReport } from './comment';
import { countOutputs, failureLines, readPlanDetails, type PlanDetails } from './plan-details';
import { planOnlyDone, succeeded } from './run-states';
import { runMessage, runUrl, uploadConfiguration, watch, type Outcome, type Session } from './session';

/** A speculative plan of the directory, reported on the pull request as one comment per workspace. */
export async function planCommand(session: Session): Promise<Outcome> {
  const { api, config, guard, facts } = session;
  const commenting = config.comment && facts.pullRequest !== undefined;
  if (commenting && !session.github) {
    throw new ConfigurationError('Input "comment" is true but there is no "github-token" to comment with.');
  }
  if (config.comment && facts.pullRequest === undefined) {
    core.info(`Not a pull request (${facts.eventName}): no comment.`);
  }

  const workspace = await api.workspace(config.organization, config.workspace);
  const configurationVersion = await uploadConfiguration(session, workspace, true);
  const created = await api.createRun({
    workspaceId: workspace.id,
    configurationVersionId: configurationVersion,
    planOnly: true,
    message: runMessage(session, 'Speculative plan'),
  });
  guard.track(created.id);
  const url = runUrl(config, created.id);
  core.info(`Speculative plan ${created.id}: ${url}`);
  const watched = await watch(session, created.id, planOnlyDone, `plan ${created.id} to finish`);
  guard.release();
  const { run } = watched;

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
    queuedMs: watched.queuedMs,
    elapsedMs: watched.elapsedMs,
    errors: failed ? await failureLines(session, run.planId ? await api.plan(run.planId) : undefined) : undefined,
    notes: policyNotes(run.status),
  };
  const body = renderPlanComment(report);
  if (commenting && session.github) {
    const pull = facts.pullRequest as number;
    const existing = await session.github.findComment(pull, marker(config.organization, config.workspace));
    const comment = existing
      ? await session.github.updateComment(existing.id, body)
      : await session.github.createComment(pull, body);
    core.info(`${existing ? 'Updated' : 'Posted'} the plan comment: ${comment.url}`);
  }
  return {
    outputs: {
      'run-id': run.id,
      'run-url': url,
      status: run.status,
      ...(details ? countOutputs(details) : {}),
    },
    summary: body,
    failure: failed ? `Plan ${run.id} ended ${run.status}: ${report.errors?.[0] ?? 'see the run'} (${url})` : undefined,
  };
}

function policyNotes(status: string): string[] | undefined {
  if (status === 'policy_soft_failed' || status === 'policy_override') {
    return ['A Sentinel policy soft-failed on this plan: applying it will need an override in HCP Terraform.'];
  }
  return undefined;
}
