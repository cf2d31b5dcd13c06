import { describe, expect, it } from 'vitest';
import { httpBase, webSocketUrl } from './urls';

const https = { protocol: 'https:', host: 'notebooks.example.com' };
const http = { protocol: 'http:', host: 'localhost:5173' };

describe('same origin (empty base URL)', () => {
  it('follows the page scheme and host', () => {
    expect(httpBase('', https)).toBe('https://notebooks.example.com');
    expect(httpBase('', http)).toBe('http://localhost:5173');
  });

  it('derives wss:// from an https page and ws:// from an http page', () => {
    expect(webSocketUrl('', https, '/api/ws/notebooks/n1')).toBe('wss://notebooks.example.com/api/ws/notebooks/n1');
    expect(webSocketUrl('', http, '/api/ws/notebooks/n1')).toBe('ws://localhost:5173/api/ws/notebooks/n1');
  });
});

describe('absolute base URL', () => {
  it('appends paths to the origin and path prefix', () => {
    expect(httpBase('https://api.example.com/prefix', http)).toBe('https://api.example.com/prefix');
    expect(webSocketUrl('https://api.example.com', http, '/api/ws/notebooks/a')).toBe(
      'wss://api.example.com/api/ws/notebooks/a',
    );
  });

  it('never builds http:// or ws:// for a page served over https', () => {
    expect(httpBase('http://127.0.0.1:8000', https)).toBe('https://127.0.0.1:8000');
    expect(webSocketUrl('http://127.0.0.1:8000', https, '/api/ws/x')).toBe('wss://127.0.0.1:8000/api/ws/x');
  });

  it('keeps http:// for a local http page (allowed at build time for development)', () => {
    expect(webSocketUrl('http://127.0.0.1:8000', http, '/api/ws/x')).toBe('ws://127.0.0.1:8000/api/ws/x');
  });
});
