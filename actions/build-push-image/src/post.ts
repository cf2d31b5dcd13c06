import * as core from '@actions/core';
import type { DockerCli } from './docker';

/** State the post step reads to log out of the registry main logged in to. */
const REGISTRY_STATE = 'registry';

export function rememberLogin(registry: string): void {
  core.saveState(REGISTRY_STATE, registry);
}

/** The post step: forget the registry credentials `docker login` stored, so no later step or job reuses them. */
export async function logOut(docker: DockerCli): Promise<void> {
  const registry = core.getState(REGISTRY_STATE);
  if (!registry) {
    core.info('Not logged in to a registry: nothing to clean up.');
    return;
  }
  try {
    await docker.logout(registry);
  } catch (error) {
    // The job's work is done; a credential left in a runner's docker config is worth a warning, not a failure.
    core.warning(`Could not log out of ${registry}: ${error instanceof Error ? error.message : String(error)}`);
  }
}
