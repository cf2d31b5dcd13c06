import { describe, expect, it } from '@jest/globals';
import { isLoopbackUrl, resolveOrigin } from '../src/hostname';

describe('resolveOrigin', () => {
  it.each([
    ['app.terraform.io', 'https://app.terraform.io'],
    ['TFE.example.com:8443', 'https://tfe.example.com:8443'],
    ['https://tfe.example.com/', 'https://tfe.example.com'],
    ['http://127.0.0.1:8080', 'http://127.0.0.1:8080'],
    ['http://localhost:9000/', 'http://localhost:9000'],
  ])('reads %s as %s', (input, origin) => {
    expect(resolveOrigin(input)).toBe(origin);
  });

  it('refuses plain http to anything but loopback, so the token never crosses a network in clear', () => {
    expect(() => resolveOrigin('http://tfe.example.com')).toThrow(
      'Plain http is accepted only for a loopback test server (http://127.0.0.1:PORT).',
    );
    expect(() => resolveOrigin('http://10.0.0.5:8080')).toThrow('Plain http is accepted only');
  });

  it('refuses paths and things that are not host names', () => {
    expect(() => resolveOrigin('http://127.0.0.1:8080/api/v2')).toThrow('Input "hostname" must be a host name');
    expect(() => resolveOrigin('https://tfe.example.com/api')).toThrow('must not contain a path');
    expect(() => resolveOrigin('tfe example com')).toThrow('must be a host name such as app.terraform.io');
  });
});

describe('isLoopbackUrl', () => {
  it('accepts only plain http on this machine', () => {
    expect(isLoopbackUrl('http://127.0.0.1:4000/archivist/object/abc')).toBe(true);
    expect(isLoopbackUrl('http://[::1]:4000/x')).toBe(true);
    expect(isLoopbackUrl('http://archivist.terraform.io/v1/object/abc')).toBe(false);
    expect(isLoopbackUrl('not a url')).toBe(false);
  });
});
