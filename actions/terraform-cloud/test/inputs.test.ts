import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { readConfig } from '../src/inputs';

// readConfig reads INPUT_* variables through @actions/core, as on a runner.

const saved = { ...process.env };
beforeEach(() => {
  for (const name of Object.keys(process.env)) if (name.startsWith('INPUT_')) delete process.env[name];
  process.env.INPUT_COMMAND = 'plan';
});
afterEach(() => {
  process.env = { ...saved };
});

const env = (values: Record<string, string>) => ({ GITHUB_WORKSPACE: '/repo', ...values });

describe('readConfig', () => {
  it('takes organization, workspace, token and host from the standard variables', () => {
    const config = readConfig(
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
  });

  it('lets inputs win, and comments only on pull requests by default', () => {
    Object.assign(process.env, {
      INPUT_COMMAND: 'apply',
      INPUT_ORGANIZATION: 'other',
      INPUT_WORKSPACE: 'staging',
      INPUT_TOKEN: 'input-token',
      INPUT_HOSTNAME: 'tfe.example.com',
      INPUT_DIRECTORY: 'infra/live',
      'INPUT_TIMEOUT-MINUTES': '15',
      'INPUT_POLL-INTERVAL': '2s',
      'INPUT_REQUIRE-REVIEWED-PLAN': 'false',
    });
    const config = readConfig(env({ TF_CLOUD_ORGANIZATION: 'acme', TF_API_TOKEN: 'env-token', GITHUB_EVENT_NAME: 'push' }));
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
    expect(() => readConfig(env({ TF_WORKSPACE: 'prod', TF_API_TOKEN: 't' }))).toThrow(
      'No organization: set the "organization" input, or TF_CLOUD_ORGANIZATION in the job.',
    );
    expect(() => readConfig(env({ TF_CLOUD_ORGANIZATION: 'acme', TF_WORKSPACE: 'prod' }))).toThrow(
      'No HCP Terraform token: set the "token" input (for example `${{ secrets.TF_API_TOKEN }}`) or TF_API_TOKEN.',
    );
    process.env.INPUT_COMMAND = 'destroy';
    expect(() => readConfig(env({}))).toThrow('Input "command" must be one of "plan", "apply", "outputs"; got "destroy".');
    delete process.env.INPUT_COMMAND;
    expect(() => readConfig(env({}))).toThrow('Input "command" is required');
  });
});
