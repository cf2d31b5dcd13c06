import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { recordingIo, useInputs } from '@notebook-ship/action-kit/testing';
import { readConfig } from '../src/inputs';

// readConfig reads INPUT_* variables as on a runner.
const withInputs = useInputs({ beforeEach, afterEach });

describe('readConfig', () => {
  it('defaults: api-url is url, every check, 300 s', () => {
    withInputs({ url: 'https://d111.cloudfront.net' });
    expect(readConfig(recordingIo())).toEqual({
      url: new URL('https://d111.cloudfront.net/'),
      apiUrl: new URL('https://d111.cloudfront.net/'),
      expectedVersion: '',
      token: '',
      timeoutMs: 300_000,
      checks: ['ready', 'frontend', 'same-origin', 'api', 'websocket', 'auth', 'cleanup'],
      addedChecks: [],
    });
  });

  it('keeps a base path, so paths resolve under it', () => {
    withInputs({ url: 'https://example.com/notebook', 'api-url': 'https://api.example.com/', 'timeout-seconds': '20', checks: 'api, frontend' });
    const config = readConfig(recordingIo());
    expect(new URL('api/notebooks', config.url).href).toBe('https://example.com/notebook/api/notebooks');
    expect(config.apiUrl.href).toBe('https://api.example.com/');
    expect(config.timeoutMs).toBe(20_000);
    expect(config.checks).toEqual(['ready', 'frontend', 'api', 'cleanup']);
  });

  it.each([
    [{ url: '' }, 'Input "url" is required'],
    [{ url: 'd111.cloudfront.net' }, 'Input "url" must be an absolute URL such as https://d111111abcdef8.cloudfront.net; got "d111.cloudfront.net".'],
    [{ url: 'ftp://example.com' }, 'Input "url" must start with https://'],
    [{ url: 'https://user:pw@example.com/?a=1' }, 'Input "url" must be a base URL without credentials, query or fragment; got "https://example.com/…".'],
    [{ url: 'https://example.com', 'timeout-seconds': '0' }, 'Input "timeout-seconds" must be a whole number from 1 to 3600; got "0".'],
    [{ url: 'https://example.com', checks: 'api,bogus' }, 'Input "checks" names unknown check "bogus"'],
    [{ url: 'https://example.com', checks: 'frontend', 'expected-version': 'abc' }, 'Input "expected-version" is verified by the ready check'],
  ])('refuses %j', (values, message) => {
    withInputs(values);
    expect(() => readConfig(recordingIo())).toThrow(message);
  });

  it('refuses to send the token over plain http except to this machine', () => {
    withInputs({ url: 'https://d111.cloudfront.net', 'api-url': 'http://my-alb.elb.amazonaws.com', 'access-token': 's3cret' });
    const io = recordingIo();
    expect(() => readConfig(io)).toThrow(
      'Input "api-url" is http://my-alb.elb.amazonaws.com (http://): the access token would travel in clear. Use the https:// address',
    );
    // Masked before the refusal, which could otherwise print it.
    expect(io.secrets).toEqual(['s3cret']);
    withInputs({ url: 'http://127.0.0.1:8000', 'api-url': '' });
    expect(readConfig(recordingIo()).token).toBe('s3cret');
    withInputs({ url: 'http://localhost:8000' });
    expect(readConfig(recordingIo()).url.href).toBe('http://localhost:8000/');
  });
});
