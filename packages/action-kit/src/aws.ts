import { ConfigurationError } from './errors';

export type RetryMode = 'standard' | 'adaptive';

export interface AwsSettings {
  region: string;
  maxAttempts: number;
  retryMode: RetryMode;
}

export interface AwsOverrides {
  /** From an action's `aws-region` input; falls back to AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
  maxAttempts?: number;
  retryMode?: RetryMode;
}

const DEFAULT_MAX_ATTEMPTS = 5;

/**
 * Region and retry settings for every client of an action. Credentials are left to the SDK's standard chain
 * (configure-aws-credentials exports them) and endpoints to the standard AWS_ENDPOINT_URL* variables.
 */
export function resolveAwsSettings(overrides: AwsOverrides = {}, env: NodeJS.ProcessEnv = process.env): AwsSettings {
  const region = overrides.region || env.AWS_REGION || env.AWS_DEFAULT_REGION;
  if (!region) {
    throw new ConfigurationError(
      'No AWS region: set the "aws-region" input, or AWS_REGION in the job (aws-actions/configure-aws-credentials sets it).',
    );
  }
  const maxAttempts = overrides.maxAttempts ?? parseAttempts(env.AWS_MAX_ATTEMPTS);
  const retryMode = overrides.retryMode ?? parseRetryMode(env.AWS_RETRY_MODE);
  return { region, maxAttempts, retryMode };
}

function parseAttempts(value: string | undefined): number {
  if (!value) return DEFAULT_MAX_ATTEMPTS;
  const attempts = Number(value);
  if (!Number.isInteger(attempts) || attempts < 1) {
    throw new ConfigurationError(`AWS_MAX_ATTEMPTS must be a whole number of at least 1; got "${value}".`);
  }
  return attempts;
}

function parseRetryMode(value: string | undefined): RetryMode {
  if (!value) return 'standard';
  if (value === 'standard' || value === 'adaptive') return value;
  throw new ConfigurationError(`AWS_RETRY_MODE must be "standard" or "adaptive"; got "${value}".`);
}

export type AwsClientConstructor<C> = new (config: AwsSettings & { customUserAgent?: string }) => C;

/** One client, built the same way in every action so retries and region behave alike. */
export function createAwsClient<C>(Client: AwsClientConstructor<C>, settings: AwsSettings, userAgent?: string): C {
  return new Client(userAgent ? { ...settings, customUserAgent: userAgent } : settings);
}
