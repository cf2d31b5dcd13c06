import { stat } from 'node:fs/promises';
import { exec } from '@actions/exec';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { API_BASE_VARIABLE } from './verify-build';

/**
 * Runs the build in a shell (so `npm ci && npm run build` works) with the API base URL exported; an empty URL is
 * exported too, because Vite prefers the process environment over .env files only for variables that are set.
 */
export async function runBuild(command: string, workingDirectory: string, apiBaseUrl: string): Promise<void> {
  const info = await stat(workingDirectory).catch(() => undefined);
  if (!info?.isDirectory()) {
    throw new ConfigurationError(
      `The working directory ${workingDirectory} does not exist: set "working-directory" to the front end's folder.`,
    );
  }
  const exitCode = await exec('bash', ['-eo', 'pipefail', '-c', command], {
    cwd: workingDirectory,
    env: { ...process.env, [API_BASE_VARIABLE]: apiBaseUrl } as Record<string, string>,
    ignoreReturnCode: true,
  });
  if (exitCode !== 0) {
    throw new ConfigurationError(
      `The build command \`${command}\` failed with exit code ${exitCode} (its output is above); nothing was published.`,
    );
  }
}
