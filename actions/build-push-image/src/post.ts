import * as core from '@actions/core';
import { REGISTRY_STATE } from './build-push';
import type { DockerCli } from './docker';

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
