export { ConfigurationError, TimeoutError } from './errors';
export { runAction, reportFailure } from './run';
export { runnerIo, writeOutputs } from './io';
export type { Io, Outputs } from './io';
export {
  requiredInput,
  optionalInput,
  booleanInput,
  integerInput,
  enumInput,
  listInput,
  keyValueInput,
  durationInput,
} from './inputs';
export type { IntegerOptions, ListOptions, DurationOptions } from './inputs';
export { escapeCell, keyValueTable, markdownTable, writeSummary } from './summary';
export { pollUntil, systemClock } from './poll';
export type { Clock, PollOptions, PollResult } from './poll';
export { parseDuration, formatDuration } from './duration';
export { resolveAwsSettings, createAwsClient } from './aws';
export type { AwsSettings, AwsOverrides, RetryMode, AwsClientConfig, AwsClientConstructor } from './aws';
