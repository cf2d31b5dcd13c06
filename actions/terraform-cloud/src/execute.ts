import type { Io } from '@notebook-ship/action-kit';
import { applyCommand } from './apply-command';
import { createGitHubApi } from './github-api';
import type { Config } from './inputs';
import type { Outcome } from './outcome';
import { outputsCommand } from './outputs-command';
import { planCommand } from './plan-command';
import { RunGuard } from './run-guard';
import { createSession, readFacts, type Session } from './session';
import { TfcApi } from './tfc-api';
import { TfcHttp } from './tfc-http';

const COMMANDS: Record<Config['command'], (session: Session) => Promise<Outcome>> = {
  plan: planCommand,
  apply: applyCommand,
  outputs: outputsCommand,
};

/**
 * Runs one command with a guard on the run it creates: if the job is cancelled or the command fails half-way,
 * the run is discarded or cancelled rather than left to apply or block the workspace.
 */
export async function execute(config: Config, io: Io, expose?: (guard: RunGuard) => void): Promise<Outcome> {
  const http = new TfcHttp({ origin: config.origin, token: config.token, log: (message) => io.info(message) });
  const api = new TfcApi(http);
  const facts = readFacts();
  const runGuard = new RunGuard(api, io);
  expose?.(runGuard);
  const github =
    config.githubToken && facts.repository
      ? createGitHubApi(config.githubToken, facts.repository, { log: (message) => io.info(message) })
      : undefined;
  const session = createSession({ config, api, guard: runGuard, facts, github, io });
  const removeHandlers = runGuard.handleSignals();
  try {
    return await Promise.race([COMMANDS[config.command](session), runGuard.cancelled]);
  } catch (error) {
    if (runGuard.tracking && !runGuard.wasCancelled) {
      const message = error instanceof Error ? error.message : String(error);
      const outcome = await runGuard.stop(`the action failed: ${message}`).catch(String);
      io.warning(`Stopping the run after a failure: ${outcome}.`);
    }
    throw error;
  } finally {
    removeHandlers();
  }
}
