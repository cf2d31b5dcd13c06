import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { recordingIo, useInputs } from '@notebook-ship/action-kit/testing';
import { readConfig } from '../src/inputs';

// readConfig reads INPUT_* variables through @actions/core, as on a runner.
const withInputs = useInputs({ beforeEach, afterEach }, { command: 'plan' });

const env = (values: Record<string, string>) => ({ GITHUB_WORKSPACE: '/repo', ...values });

describe('readConfig', () => {
  it('takes organization, workspace, token and host from the standard variables', () => {
    const io = recordingIo();
    const config = readConfig(
      io,
      env({ TF_CLOUD_ORGANIZATION: 'acme', TF_WORKSPACE: 'prod', TF_API_TOKEN: 't0ken', GITHUB_EVENT_NAME: 'pull_request' }),
    );
    expect(config).toEqual({
      command: 'plan',
      organization: 'acme',
      workspace: 'prod',
      token: 't0ken',
      origin: 'https://app.terraform.io',
      directory: '/repo/terraform',
      githubToken: '',
      comment: true,
      requireReviewedPlan: true,
      timeoutMs: 3_600_000,
      pollIntervalMs: 5_000,
      message: '',
    });
    expect(io.secrets).toEqual(['t0ken']);
  });

  it('lets inputs win, and comments only on pull requests by default', () => {
    withInputs({
      command: 'apply',
      organization: 'other',
      workspace: 'staging',
      token: 'input-token',
      hostname: 'tfe.example.com',
      directory: 'infra/live',
      'timeout-minutes': '15',
      'poll-interval': '2s',
      'require-reviewed-plan': 'false',
    });
    const config = readConfig(
      recordingIo(),
      env({ TF_CLOUD_ORGANIZATION: 'acme', TF_API_TOKEN: 'env-token', GITHUB_EVENT_NAME: 'push' }),
    );
    expect(config).toMatchObject({
      command: 'apply',
      organization: 'other',
      workspace: 'staging',
      token: 'input-token',
      origin: 'https://tfe.example.com',
      directory: '/repo/infra/live',
      comment: false,
      requireReviewedPlan: false,
      timeoutMs: 900_000,
      pollIntervalMs: 2_000,
    });
  });

  it('says what is missing or wrong', () => {
    expect(() => readConfig(recordingIo(), env({ TF_WORKSPACE: 'prod', TF_API_TOKEN: 't' }))).toThrow(
      'No organization: set the "organization" input, or TF_CLOUD_ORGANIZATION in the job.',
    );
    expect(() => readConfig(recordingIo(), env({ TF_CLOUD_ORGANIZATION: 'acme', TF_WORKSPACE: 'prod' }))).toThrow(
      'No HCP Terraform token: set the "token" input (for example `${{ secrets.TF_API_TOKEN }}`) or TF_API_TOKEN.',
    );
    withInputs({ command: 'destroy' });
    expect(() => readConfig(recordingIo(), env({}))).toThrow('Input "command" must be one of "plan", "apply", "outputs"; got "destroy".');
    withInputs({ command: undefined });
    expect(() => readConfig(recordingIo(), env({}))).toThrow('Input "command" is required');
  });
});
