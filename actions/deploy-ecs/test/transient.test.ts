import { describe, expect, it } from '@jest/globals';
import { ConfigurationError } from '@notebook-ship/action-kit';
import { describeError, isTransient } from '../src/transient';

const named = (name: string, extra: object = {}) => Object.assign(new Error('x'), { name }, extra);

describe('isTransient', () => {
  it.each([
    ['throttling', named('ThrottlingException')],
    ['a request timeout', named('TimeoutError')],
    ['a reset connection', Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' })],
    ['a 5xx', named('ServerException', { $metadata: { httpStatusCode: 500 } })],
    ['a 503 without a body', named('Unknown', { $metadata: { httpStatusCode: 503 } })],
    ['an error the SDK marked retryable', named('Whatever', { $retryable: {} })],
  ])('is true for %s', (_, error) => {
    expect(isTransient(error)).toBe(true);
  });

  it.each([
    ['access denied', named('AccessDeniedException', { $metadata: { httpStatusCode: 400 } })],
    ['a ConfigurationError', new ConfigurationError('Service "x" was not found')],
    ['a bug', new TypeError('undefined is not a function')],
    ['a string', 'boom'],
  ])('is false for %s', (_, error) => {
    expect(isTransient(error)).toBe(false);
  });
});

describe('describeError', () => {
  it('keeps the service error code in front of the message', () => {
    expect(describeError(Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }))).toBe(
      'ThrottlingException: Rate exceeded',
    );
    expect(describeError(new Error('socket hang up'))).toBe('socket hang up');
  });
});
