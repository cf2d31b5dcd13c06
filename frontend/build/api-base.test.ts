// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { ALLOW_INSECURE_FLAG, ApiBaseUrlError, checkApiBaseUrl, isTruthy } from './api-base';

describe('checkApiBaseUrl', () => {
  it('treats empty and blank as same origin', () => {
    expect(checkApiBaseUrl(undefined, false)).toBe('');
    expect(checkApiBaseUrl('  ', false)).toBe('');
  });

  it('keeps an https origin and path without the trailing slash', () => {
    expect(checkApiBaseUrl('https://api.example.com/', false)).toBe('https://api.example.com');
    expect(checkApiBaseUrl('https://example.com/notebook/', false)).toBe('https://example.com/notebook');
  });

  it('rejects http:// with a message naming the flag', () => {
    expect(() => checkApiBaseUrl('http://api.example.com', false)).toThrow(ApiBaseUrlError);
    expect(() => checkApiBaseUrl('http://api.example.com', false)).toThrow(`${ALLOW_INSECURE_FLAG}=true`);
  });

  it('allows http:// only with the local-development flag', () => {
    expect(checkApiBaseUrl('http://127.0.0.1:8000', true)).toBe('http://127.0.0.1:8000');
  });

  it('rejects relative values, other schemes, credentials and queries', () => {
    expect(() => checkApiBaseUrl('/api', false)).toThrow('not an absolute URL');
    expect(() => checkApiBaseUrl('api.example.com', false)).toThrow('not an absolute URL');
    expect(() => checkApiBaseUrl('wss://api.example.com', true)).toThrow('must start with https://');
    expect(() => checkApiBaseUrl('https://user:pw@api.example.com', false)).toThrow('no credentials');
    expect(() => checkApiBaseUrl('https://api.example.com/?x=1', false)).toThrow('no credentials');
  });

  it('reads the flag leniently', () => {
    expect(isTruthy('true')).toBe(true);
    expect(isTruthy('1')).toBe(true);
    expect(isTruthy('YES')).toBe(true);
    expect(isTruthy('false')).toBe(false);
    expect(isTruthy(undefined)).toBe(false);
  });
});
