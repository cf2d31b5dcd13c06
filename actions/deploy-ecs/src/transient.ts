import { ConfigurationError } from '@notebook-ship/action-kit';

// What is still failing after the SDK's own retries but says nothing about the rollout: AWS throttling the account,
// a slow or dropped connection, a 5xx. A look that fails this way is skipped, not taken for the rollout's outcome.

const THROTTLING = new Set([
  'ThrottlingException',
  'Throttling',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
]);
const TIMEOUTS = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException']);
const NETWORK_CODES = new Set(['ECONNRESET', 'ECONNREFUSED', 'ETIMEDOUT', 'EPIPE', 'EAI_AGAIN', 'ENOTFOUND']);

interface SdkErrorShape {
  name?: string;
  code?: string;
  $fault?: string;
  $retryable?: unknown;
  $metadata?: { httpStatusCode?: number };
}

export function isTransient(error: unknown): boolean {
  if (!(error instanceof Error) || error instanceof ConfigurationError) return false;
  const shape = error as SdkErrorShape;
  const status = shape.$metadata?.httpStatusCode ?? 0;
  return (
    THROTTLING.has(error.name) ||
    TIMEOUTS.has(error.name) ||
    NETWORK_CODES.has(shape.code ?? '') ||
    shape.$retryable !== undefined ||
    shape.$fault === 'server' ||
    status === 429 ||
    status >= 500
  );
}

/** `ThrottlingException: Rate exceeded`, for the log and the failure message. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  return error.name && error.name !== 'Error' ? `${error.name}: ${error.message}` : error.message;
}
