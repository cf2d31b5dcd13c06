import {
  ConfigurationError,
  booleanInput,
  durationInput,
  enumInput,
  integerInput,
  optionalInput,
  requiredInput,
  type Io,
} from '@notebook-ship/action-kit';
import { isAbsolute, resolve } from 'node:path';
import { resolveOrigin } from './hostname';

export const COMMANDS = ['plan', 'apply', 'outputs'] as const;
export type Command = (typeof COMMANDS)[number];

export interface Config {
  command: Command;
  organization: string;
  workspace: string;
  token: string;
  /** `https://app.terraform.io`, or a loopback test server. */
  origin: string;
  /** Absolute path of the configuration to upload. */
  directory: string;
  githubToken: string;
  comment: boolean;
  requireReviewedPlan: boolean;
  timeoutMs: number;
  pollIntervalMs: number;
  /** Empty: a message naming the repository, commit and workflow run is made up. */
  message: string;
}

const PULL_REQUEST_EVENTS = new Set(['pull_request', 'pull_request_target']);

/** Masks the tokens as soon as they are read, so no later failure can print them. */
export function readConfig(io: Pick<Io, 'secret'>, env: NodeJS.ProcessEnv = process.env): Config {
  requiredInput('command');
  const command = enumInput('command', COMMANDS, 'plan');
  const organization = optionalInput('organization', env.TF_CLOUD_ORGANIZATION ?? '');
  if (!organization) {
    throw new ConfigurationError('No organization: set the "organization" input, or TF_CLOUD_ORGANIZATION in the job.');
  }
  const workspace = optionalInput('workspace', env.TF_WORKSPACE ?? '');
  if (!workspace) throw new ConfigurationError('No workspace: set the "workspace" input, or TF_WORKSPACE in the job.');
  const token = optionalInput('token', env.TF_API_TOKEN ?? '');
  if (!token) {
    throw new ConfigurationError(
      'No HCP Terraform token: set the "token" input (for example `${{ secrets.TF_API_TOKEN }}`) or TF_API_TOKEN.',
    );
  }
  io.secret(token);
  const githubToken = optionalInput('github-token');
  if (githubToken) io.secret(githubToken);
  const directory = optionalInput('directory', 'terraform');
  const workspaceRoot = env.GITHUB_WORKSPACE || process.cwd();
  return {
    command,
    organization,
    workspace,
    token,
    origin: resolveOrigin(optionalInput('hostname', env.TF_CLOUD_HOSTNAME || 'app.terraform.io')),
    directory: isAbsolute(directory) ? directory : resolve(workspaceRoot, directory),
    githubToken,
    comment: booleanInput('comment', PULL_REQUEST_EVENTS.has(env.GITHUB_EVENT_NAME ?? '')),
    requireReviewedPlan: booleanInput('require-reviewed-plan', true),
    timeoutMs: integerInput('timeout-minutes', { fallback: 60, min: 1, max: 24 * 60 }) * 60_000,
    pollIntervalMs: durationInput('poll-interval', { fallback: 5_000, min: 10, max: 5 * 60_000 }),
    message: optionalInput('message'),
  };
}
