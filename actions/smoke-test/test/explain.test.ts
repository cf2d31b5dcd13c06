import { describe, expect, it } from '@jest/globals';
import { explainHandshake } from '../src/handshake';
import { networkReason } from '../src/http';
import { explainAnswer } from '../src/service';
import { answer } from './answers';

const API = 'https://d111.cloudfront.net/api/notebooks';

describe('explainAnswer', () => {
  it('points a misrouted /api or /health at CloudFront', () => {
    expect(explainAnswer('GET', answer(API, 200, 'text/html', '<!doctype html><html lang="en">'), true)).toBe(
      '/api/notebooks returned text/html: is /api/* routed to the ALB in CloudFront? (HTTP 200, "<!doctype html><html lang="en">")',
    );
    expect(explainAnswer('GET', answer('https://d111.cloudfront.net/health', 200, 'text/html', '<html>'), false)).toMatch(
      /^\/health returned text\/html: is \/health routed to the ALB in CloudFront\?/,
    );
  });

  it('tells a missing token from a wrong one', () => {
    expect(explainAnswer('POST', answer(API, 401, 'application/json', '{"detail":"missing"}'), false)).toBe(
      'POST /api/notebooks returned 401: the service requires an access token — set the access-token input to its ACCESS_TOKEN (from a secret).',
    );
    expect(explainAnswer('POST', answer(API, 401, 'application/json'), true)).toBe(
      "POST /api/notebooks returned 401: the service rejected the access token — access-token must equal the service's ACCESS_TOKEN.",
    );
  });

  it('sends 5xx to the task, 403 to the load balancer rule, and quotes anything else', () => {
    expect(explainAnswer('GET', answer(API, 502, 'text/html', '<h1>502 ERROR</h1>'), true)).toMatch(
      /^GET \/api\/notebooks returned HTTP 502 \(<h1>502 ERROR<\/h1>\): no healthy answer from the service — is the ECS task running/,
    );
    expect(explainAnswer('GET', answer(API, 403, 'text/plain', 'Forbidden'), true)).toMatch(
      /^GET \/api\/notebooks returned 403 \(Forbidden\): refused before the app — the load balancer only serves requests that come through CloudFront/,
    );
    expect(explainAnswer('GET', answer(API, 200, 'text/plain', 'hello'), true)).toBe('GET /api/notebooks returned text/plain instead of JSON (HTTP 200: hello).');
    expect(explainAnswer('DELETE', answer(API, 422, 'application/json', '{"detail":[]}'), true)).toBe('DELETE /api/notebooks returned HTTP 422: {"detail":[]}.');
  });
});

describe('explainHandshake', () => {
  const path = '/api/ws/notebooks/nb1';
  it('explains each refusal', () => {
    expect(explainHandshake(path, { status: 401, contentType: 'application/json', body: '{"detail":"x"}' }, true)).toMatch(
      /^The WebSocket handshake to \/api\/ws\/notebooks\/nb1 was refused with 401 \(\{"detail":"x"\}\), although the REST API accepts the same token: the token did not reach the WebSocket endpoint\. Something in front of the app refused the upgrade/,
    );
    expect(explainHandshake(path, { status: 401, contentType: '', body: '' }, false)).toMatch(/the service requires an access token/);
    expect(explainHandshake(path, { status: 200, contentType: 'text/html', body: '<html>' }, true)).toBe(
      '/api/ws/notebooks/nb1 returned text/html: is /api/* routed to the ALB in CloudFront? (HTTP 200 instead of a WebSocket upgrade)',
    );
    const foreign = '{"detail":"pages from https://evil.example may not open this notebook: add it to ALLOWED_ORIGINS"}';
    expect(explainHandshake(path, { status: 403, contentType: 'application/json', body: foreign }, false)).toMatch(
      /was refused with 403 \(.*\): without ACCESS_TOKEN the service only accepts WebSockets from its own origin or ALLOWED_ORIGINS\.$/,
    );
    expect(explainHandshake(path, { status: 404, contentType: 'application/json', body: '{"detail":"no notebook with id \'nb1\'"}' }, false, false)).toBe(
      'The WebSocket handshake to /api/ws/notebooks/nb1 was refused with 404 ({"detail":"no notebook with id \'nb1\'"}): the notebook is gone (the REST API does not find it either).',
    );
    expect(explainHandshake(path, { status: 101, contentType: '', body: '', closeCode: 4403 }, false)).toBe(
      'The WebSocket handshake to /api/ws/notebooks/nb1 was accepted, then closed at once with code 4403.',
    );
  });

  it('tells an upgrade refused in front of the app from a missing notebook', () => {
    const refused = /: the WebSocket upgrade was refused by something in front of the app \(the edge, the load balancer, a proxy or a WAF rule\), not by the service\. Check that CloudFront's \/api\/\* behaviour forwards the WebSocket headers to the ALB/;
    const stripped = explainHandshake(path, { status: 404, contentType: 'application/json', body: '{"detail":"Not Found"}' }, true, true);
    expect(stripped).toMatch(/^The WebSocket handshake to \/api\/ws\/notebooks\/nb1 was refused with HTTP 404 \(\{"detail":"Not Found"\}\), although the REST API finds the notebook: /);
    expect(stripped).toMatch(refused);
    expect(stripped).not.toContain('gone');
    for (const status of [200, 400, 403, 426, 502]) {
      const text = explainHandshake(path, { status, contentType: 'application/json', body: '' }, true);
      expect(text).toMatch(new RegExp(`was refused with HTTP ${status}: the WebSocket upgrade was refused by something in front`));
    }
    expect(explainHandshake(path, { status: 403, contentType: 'text/html', body: '<html><h1>403 Forbidden</h1>' }, false)).toMatch(refused);
    expect(explainHandshake(path, { status: 400, contentType: 'text/html', body: '<html>Bad Request</html>' }, false)).toMatch(refused);
    expect(explainHandshake(path, { status: 404, contentType: '', body: '' }, false)).toMatch(
      /was refused with HTTP 404, and the REST API could not say whether the notebook exists: if it does, the WebSocket upgrade was refused by something in front of the app/,
    );
  });
});

describe('networkReason', () => {
  it('digs the cause out of fetch errors', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED 127.0.0.1:9' } });
    expect(networkReason(refused)).toBe('connection refused (connect ECONNREFUSED 127.0.0.1:9)');
    const dns = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND nope.invalid' } });
    expect(networkReason(dns)).toBe('the host name does not resolve (getaddrinfo ENOTFOUND nope.invalid)');
    const tls = Object.assign(new TypeError('fetch failed'), { cause: { code: 'CERT_HAS_EXPIRED', message: 'certificate has expired' } });
    expect(networkReason(tls)).toBe('certificate has expired (CERT_HAS_EXPIRED)');
    expect(networkReason(new Error('boom'))).toBe('boom');
  });
});
