/**
 * A mistake the user can fix (a bad input, a missing resource, a denied permission).
 * The run boundary reports its message alone; anything else is treated as a bug and gets its stack in debug.
 */
export class ConfigurationError extends Error {
  override name = 'ConfigurationError';
}

/** A wait that ran out of time: user-facing, because the fix is a longer timeout or a healthier system. */
export class TimeoutError extends ConfigurationError {
  override name = 'TimeoutError';
}
