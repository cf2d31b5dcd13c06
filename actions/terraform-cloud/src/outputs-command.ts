import { renderOutputsSummary } from './apply-report';
import type { Outcome } from './outcome';
import { remainingMs, type Session } from './session';
import { readOutputs } from './workspace-outputs';

/** Only reads the workspace's current outputs, for later jobs of a workflow. */
export async function outputsCommand(session: Session): Promise<Outcome> {
  const { api, config } = session;
  const workspace = await api.workspace(config.organization, config.workspace);
  const wait = {
    intervalMs: Math.min(config.pollIntervalMs, 2_000),
    timeoutMs: remainingMs(session),
    clock: session.clock,
  };
  const outputs = await readOutputs(api, workspace.id, wait, session.io);
  const title = `### Outputs of \`${config.organization}/${config.workspace}\``;
  return {
    result: { workspaceOutputs: outputs },
    summary: `${title}\n\n${renderOutputsSummary(outputs.values, outputs.sensitive)}`,
  };
}
