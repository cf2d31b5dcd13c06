import * as core from '@actions/core';
import { ConfigurationError } from './errors';

/**
 * The one failure boundary of an action: every error thrown by `main` ends here as `core.setFailed`,
 * so helpers throw instead of deciding how the job fails.
 */
export async function runAction(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    reportFailure(error);
  }
}

export function reportFailure(error: unknown): void {
  if (error instanceof ConfigurationError) {
    core.setFailed(error.message);
    return;
  }
  if (error instanceof Error) {
    // AWS SDK errors carry the service's error code in `name` (AccessDeniedException, ...): keep it visible.
    const prefix = error.name && error.name !== 'Error' ? `${error.name}: ` : '';
    core.setFailed(`${prefix}${error.message}`);
    if (error.stack) core.debug(error.stack);
    return;
  }
  core.setFailed(`Unexpected failure: ${String(error)}`);
}
