import { ConfigurationError } from './errors';

export type RetryMode = 'standard' | 'adaptive';

export interface AwsSettings {
  region: string;
  maxAttempts: number;
  retryMode: RetryMode;
  /** A socket silent this long fails the attempt (then retried): a hung connection must not hang the job. */
  requestTimeoutMs: number;
}

export interface AwsOverrides {
  /** From an action's `aws-region` input; falls back to AWS_REGION / AWS_DEFAULT_REGION. */
  region?: string;
  maxAttempts?: number;
  retryMode?: RetryMode;
}

const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_REQUEST_TIMEOUT_MS = 60_000;
const CONNECTION_TIMEOUT_MS = 10_000;

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
  return { region, maxAttempts, retryMode, requestTimeoutMs: DEFAULT_REQUEST_TIMEOUT_MS };
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

export interface AwsClientConfig {
  region: string;
  maxAttempts: number;
  retryMode: RetryMode;
  requestHandler: { connectionTimeout: number; requestTimeout: number; throwOnRequestTimeout: boolean };
  customUserAgent?: string;
}

export type AwsClientConstructor<C> = new (config: AwsClientConfig) => C;

/** One client, built the same way in every action so retries, timeouts and region behave alike. */
export function createAwsClient<C>(Client: AwsClientConstructor<C>, settings: AwsSettings, userAgent?: string): C {
  const { region, maxAttempts, retryMode, requestTimeoutMs } = settings;
  return new Client({
    region,
    maxAttempts,
    retryMode,
    // Without throwOnRequestTimeout the SDK only logs a warning and keeps waiting on the silent socket.
    requestHandler: {
      connectionTimeout: CONNECTION_TIMEOUT_MS,
      requestTimeout: requestTimeoutMs,
      throwOnRequestTimeout: true,
    },
    ...(userAgent ? { customUserAgent: userAgent } : {}),
  });
}
