import { ConfigurationError, pollUntil } from '@notebook-ship/action-kit';
import { packDirectory } from './archive';
import type { Config } from './inputs';
import { awaitsDecision, planOnlyDone } from './run-states';
import type { Watched } from './run-watch';
import { remainingMs, watch, type Session } from './session';
import type { Run, Workspace } from './tfc-api';

interface RunKind {
  /** Speculative configuration and plan-only run go together: such a run can never apply. */
  speculative: boolean;
  message: 'Speculative plan' | 'Apply';
  /** How the log names the run. */
  label: string;
  /** Where the command takes over from watching. */
  until: (run: Run) => boolean;
  awaited: (runId: string) => string;
}

const RUN_KINDS: Record<'plan' | 'apply', RunKind> = {
  plan: {
    speculative: true,
    message: 'Speculative plan',
    label: 'Speculative plan',
    until: planOnlyDone,
    awaited: (runId) => `plan ${runId} to finish`,
  },
  apply: {
    speculative: false,
    message: 'Apply',
    label: 'Run',
    until: awaitsDecision,
    awaited: (runId) => `run ${runId} to finish planning`,
  },
};

export interface StartedRun extends Watched {
  url: string;
}

/**
 * Uploads the configuration, creates a run of it and follows the run until the command has to decide on it. The
 * guard tracks the run from its creation on; the command releases it once the run is where it wants it.
 */
export async function startRun(
  session: Session,
  workspace: Workspace,
  kind: keyof typeof RUN_KINDS,
): Promise<StartedRun> {
  const { speculative, message, label, until, awaited } = RUN_KINDS[kind];
  const configurationVersionId = await uploadConfiguration(session, workspace, speculative);
  const created = await session.api.createRun({
    workspaceId: workspace.id,
    configurationVersionId,
    planOnly: speculative,
    message: runMessage(session, message),
  });
  session.guard.track(created.id);
  const url = runUrl(session.config, created.id);
  session.io.info(`${label} ${created.id}: ${url}`);
  return { ...(await watch(session, created.id, until, awaited(created.id))), url };
}

function runUrl(config: Config, runId: string): string {
  const organization = encodeURIComponent(config.organization);
  return `${config.origin}/app/${organization}/workspaces/${encodeURIComponent(config.workspace)}/runs/${runId}`;
}

function runMessage(session: Session, kind: RunKind['message']): string {
  if (session.config.message) return session.config.message;
  const { repository, sha, pullRequest, workflowRunUrl } = session.facts;
  const pull = pullRequest ? `#${pullRequest}` : '';
  const where = repository ? `${repository.owner}/${repository.repo}${pull}` : 'GitHub Actions';
  return `${kind} from ${where} at ${sha.slice(0, 7)}${workflowRunUrl ? ` (${workflowRunUrl})` : ''}`;
}

/** Packs and uploads the configuration, and waits until HCP Terraform has accepted it. */
async function uploadConfiguration(
  session: Session,
  workspace: Workspace,
  speculative: boolean,
): Promise<string> {
  const { api, config } = session;
  const archive = await packDirectory(config.directory);
  const files = archive.entries.filter((entry) => !entry.endsWith('/')).length;
  session.io.info(`Uploading ${files} files from ${config.directory} (${Math.ceil(archive.data.length / 1024)} KiB).`);
  const version = await api.createConfigurationVersion(workspace.id, speculative);
  await api.upload(version.uploadUrl, archive.data);
  await pollUntil({
    description: `configuration version ${version.id} to be processed`,
    intervalMs: Math.min(config.pollIntervalMs, 1_000),
    timeoutMs: remainingMs(session),
    clock: session.clock,
    check: async () => {
      const { status, error } = await api.configurationVersion(version.id);
      if (status === 'errored') {
        const reason = error ?? 'no reason given';
        throw new ConfigurationError(`HCP Terraform could not process the uploaded configuration: ${reason}.`);
      }
      return status === 'uploaded' ? { done: true, value: undefined } : { done: false, state: status };
    },
  });
  return version.id;
}
