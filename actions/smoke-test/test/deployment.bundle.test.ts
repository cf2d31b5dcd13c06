import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  alteredBuild,
  buildFrontend,
  detail,
  notebookNames,
  removeTemps,
  smokeTest,
  startBackend,
  startEdge,
  startFaultyProxy,
  startHttps,
  startSpaOrigin,
  statuses,
  type Backend,
  type Edge,
} from './stack';

// The committed bundle against the real service behind the CloudFront-like edge serving the real front end: a
// healthy deployment, then the broken ones a deploy really produces, each failing the check that names the cause.

const TOKEN = 'smoke-secret-7f3a9c';
let build: string;
let secured: Backend;
let open: Backend;
let base64Token: Backend;
let edge: Edge;
// Not a valid subprotocol (/ and =): the WebSocket gets it in the query string instead.
const BASE64_TOKEN = 'c2Vjc/mV0+dG9r==';
const closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  [build, secured, open, base64Token] = await Promise.all([
    buildFrontend(),
    startBackend({ version: 'v2', token: TOKEN }),
    startBackend({ version: 'v1' }),
    startBackend({ version: 'v1', token: BASE64_TOKEN }),
  ]);
  closers.push(secured.stop, open.stop, base64Token.stop);
  edge = await startEdge(build, secured.url);
  closers.push(edge.close);
}, 120_000);
afterAll(async () => {
  await Promise.all(closers.map((close) => close()));
  await removeTemps();
});

const ALL_PASSED = {
  ready: 'passed',
  frontend: 'passed',
  'same-origin': 'passed',
  api: 'passed',
  websocket: 'passed',
  auth: 'passed',
  cleanup: 'passed',
};

describe('a healthy deployment', () => {
  it('passes every check through the edge, reports each, and leaves no notebook behind', async () => {
    const run = await smokeTest({ url: edge.url, 'access-token': TOKEN, 'expected-version': 'v2' });

    expect(run.errors).toEqual([]);
    expect(run.exitCode).toBe(0);
    expect(run.outputs).toEqual({ passed: 'true', report: expect.stringMatching(/smoke-test-smoke\.json$/), 'failed-checks': '' });
    expect(statuses(run.report)).toEqual(ALL_PASSED);
    expect(run.report).toMatchObject({ passed: true, url: `${edge.url}/`, apiUrl: `${edge.url}/`, expectedVersion: 'v2', version: 'v2' });
    expect(detail(run.report, 'ready')).toBe('/health is ok with version "v2"');
    expect(detail(run.report, 'frontend')).toMatch(/^index\.html \(Cache-Control: no-cache\) and its \d+ files \(\d+ scripts, [\d.]+ MB\) load; client-side routes serve the app$/);
    expect(detail(run.report, 'same-origin')).toContain('/api/notebooks answers the API\'s JSON; bundle not scanned for insecure URLs (url is not https)');
    expect(detail(run.report, 'websocket')).toMatch(/y = x \+ 1 re-ran after it \(printed and returned 43\); "1 \/ 0" gave cell_error ZeroDivisionError and the connection stayed open; \d+ messages, seq \d+ → \d+ without gaps/);
    expect(detail(run.report, 'auth')).toBe(
      'refused with 401: GET /api/notebooks without a token; GET /api/notebooks with a wrong token; the WebSocket ' +
        `/api/ws/notebooks/${/notebook ([0-9a-f]{32})/.exec(detail(run.report, 'api'))?.[1]} without a token`,
    );
    expect(detail(run.report, 'cleanup')).toMatch(/^deleted notebook [0-9a-f]{32}$/);

    expect(run.summary).toContain(`## ✅ Smoke test passed: ${edge.url}/`);
    expect(run.summary).toContain('| Check | Result | Time | Detail |');
    expect(run.summary).toContain('| `websocket` | ✅ passed |');
    // Masked for the log; never written anywhere else.
    expect(run.commands).toContainEqual({ command: 'add-mask', properties: {}, message: TOKEN });
    expect(run.stdout.split(TOKEN)).toHaveLength(2);
    expect(JSON.stringify(run.report)).not.toContain(TOKEN);
    expect((await notebookNames(secured, TOKEN)).filter((name) => name.startsWith('smoke test'))).toEqual([]);
  });

  it('runs a subset by name with what it needs, and cleanup', async () => {
    const run = await smokeTest({ url: edge.url, 'access-token': TOKEN, checks: 'websocket' });

    expect(run.exitCode).toBe(0);
    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'passed', websocket: 'passed', cleanup: 'passed' });
    expect(run.stdout).toContain('Also running ready, api: the requested checks need them.');
  });

  it('sends a token that cannot be a subprotocol in the WebSocket query string, and keeps it out of every message', async () => {
    const run = await smokeTest({ url: base64Token.url, 'access-token': BASE64_TOKEN, checks: 'websocket,auth' });

    expect(run.errors).toEqual([]);
    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'passed', websocket: 'passed', auth: 'passed', cleanup: 'passed' });
    expect(run.stdout.split(BASE64_TOKEN)).toHaveLength(2);
  });

  it('proves the same over https and wss, and finds no insecure URL in the real bundle', async () => {
    const https = await startHttps(edge.url);
    closers.push(https.close);
    const run = await smokeTest({ url: https.url, 'access-token': TOKEN, 'expected-version': 'v2' }, { env: https.env });

    expect(run.errors).toEqual([]);
    expect(statuses(run.report)).toEqual(ALL_PASSED);
    expect(detail(run.report, 'same-origin')).toMatch(/^https:\/\/localhost:\d+\/api\/notebooks answers the API's JSON; no insecure URL in \d+ scripts$/);
  });
});

describe('a broken deployment fails the check that names the cause', () => {
  it('an old version still answering: ready fails at the deadline, the service checks do not run', async () => {
    const run = await smokeTest({ url: edge.url, 'access-token': TOKEN, 'expected-version': 'v3', 'timeout-seconds': '2' });

    expect(run.exitCode).toBe(1);
    expect(run.outputs).toMatchObject({ passed: 'false', 'failed-checks': 'ready' });
    expect(statuses(run.report)).toEqual({
      ready: 'failed',
      frontend: 'passed',
      'same-origin': 'skipped',
      api: 'skipped',
      websocket: 'skipped',
      auth: 'skipped',
      cleanup: 'passed',
    });
    const message = detail(run.report, 'ready');
    expect(message).toMatch(/still reports version "v2" after 2s \(\d attempts\), expected "v3": the new task has not taken over/);
    expect(detail(run.report, 'api')).toBe('not run: ready failed');
    expect(detail(run.report, 'cleanup')).toBe('nothing to delete');
    expect(run.errors).toEqual([
      message,
      `Smoke test of ${edge.url}/ failed: ready (not run: same-origin, api, websocket, auth). Each failure is annotated above; ` +
        `the job summary and ${run.outputs.report} have every check.`,
    ]);
    expect(run.commands.find((command) => command.command === 'error')?.properties).toEqual({ title: 'Smoke test: ready failed' });
    expect(run.summary).toContain('## ❌ Smoke test failed: ready');
    expect(run.summary).toContain('| `api` | ⏭️ skipped |  | not run: ready failed |');
  });

  it('/api/* not routed to the service: the SPA answers, and same-origin says so', async () => {
    const spa = await startSpaOrigin(build);
    const misrouted = await startEdge(build, spa.url);
    closers.push(spa.close, misrouted.close);
    // The service itself is fine (reached directly, like the ALB), so only the routing check fails.
    const run = await smokeTest({ url: misrouted.url, 'api-url': secured.url, 'access-token': TOKEN });

    expect(statuses(run.report)).toEqual({ ...ALL_PASSED, 'same-origin': 'failed' });
    expect(run.outputs['failed-checks']).toBe('same-origin');
    expect(run.errors[0]).toMatch(/^\/api\/notebooks returned text\/html: is \/api\/\* routed to the ALB in CloudFront\?/);
  });

  it('the service requires a token and none is given: api and auth fail saying so', async () => {
    const run = await smokeTest({ url: edge.url });

    expect(statuses(run.report)).toMatchObject({ ready: 'passed', api: 'failed', websocket: 'skipped', auth: 'failed', cleanup: 'passed' });
    expect(detail(run.report, 'api')).toBe(
      'POST /api/notebooks returned 401: the service requires an access token — set the access-token input to its ACCESS_TOKEN (from a secret).',
    );
    expect(detail(run.report, 'same-origin')).toContain('GET /api/notebooks returned 401: the service requires an access token');
    expect(run.outputs['failed-checks']).toBe('same-origin,api,auth');
  });

  it('a wrong token: the API rejects it', async () => {
    const run = await smokeTest({ url: edge.url, 'access-token': 'not-the-token', checks: 'api' });

    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'failed', cleanup: 'passed' });
    expect(detail(run.report, 'api')).toBe(
      "POST /api/notebooks returned 401: the service rejected the access token — access-token must equal the service's ACCESS_TOKEN.",
    );
  });

  it('a token given but not enforced by the service: auth fails, everything else works', async () => {
    const run = await smokeTest({ url: open.url, 'access-token': TOKEN, checks: 'api,websocket,auth' });

    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'passed', websocket: 'passed', auth: 'failed', cleanup: 'passed' });
    expect(run.errors[0]).toMatch(/^GET \/api\/notebooks without a token was accepted \(HTTP 200\): the service does not enforce ACCESS_TOKEN/);
  });

  it('no token for an open service: passes with a warning that anyone can run code', async () => {
    const run = await smokeTest({ url: open.url, checks: 'auth' });

    expect(run.exitCode).toBe(0);
    expect(detail(run.report, 'auth')).toBe('no access-token given, and the API answers without one');
    expect(run.commands.filter((command) => command.command === 'warning').map((command) => command.message)).toEqual([
      expect.stringMatching(/^The notebook API answers without an access token: anyone who can reach it can run code/),
    ]);
  });

  it('an https page with an http:// API address baked in: same-origin lists it', async () => {
    const insecure = await alteredBuild(build, 'const apiBase="http://notebook-1234.us-east-1.elb.amazonaws.com";');
    const insecureEdge = await startEdge(insecure, secured.url);
    const https = await startHttps(insecureEdge.url);
    closers.push(insecureEdge.close, https.close);
    const run = await smokeTest({ url: https.url, 'access-token': TOKEN, checks: 'frontend,same-origin' }, { env: https.env });

    expect(statuses(run.report)).toEqual({ ready: 'passed', frontend: 'passed', 'same-origin': 'failed', cleanup: 'passed' });
    expect(run.errors[0]).toMatch(
      /^The front end has insecure URLs baked in: http:\/\/notebook-1234\.us-east-1\.elb\.amazonaws\.com in \/assets\/index-[\w-]+\.js\. .*VITE_API_BASE_URL empty/,
    );
  });

  it('an edge that does not pass WebSocket upgrades on: websocket says where to look', async () => {
    const noUpgrades = await startEdge(build, secured.url);
    noUpgrades.setWebSocketOutage(true);
    closers.push(noUpgrades.close);
    const run = await smokeTest({ url: noUpgrades.url, 'access-token': TOKEN, checks: 'websocket' });

    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'passed', websocket: 'failed', cleanup: 'passed' });
    expect(run.errors[0]).toMatch(
      /^The WebSocket handshake to \/api\/ws\/notebooks\/[0-9a-f]{32} was refused with HTTP 503: the WebSocket upgrade was refused by something in front of the app .* CloudFront's \/api\/\* behaviour forwards the WebSocket headers/,
    );
  });

  it('an edge that strips the Upgrade headers: websocket says the upgrade was refused, not that the notebook is gone', async () => {
    const stripping = await startFaultyProxy(open.url, { kind: 'strip' });
    closers.push(stripping.close);
    const run = await smokeTest({ url: stripping.url, checks: 'websocket' });

    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'passed', websocket: 'failed', cleanup: 'passed' });
    expect(run.errors[0]).toMatch(
      /^The WebSocket handshake to \/api\/ws\/notebooks\/[0-9a-f]{32} was refused with HTTP 404 \(\{"detail":"Not Found"\}\), although the REST API finds the notebook: the WebSocket upgrade was refused by something in front of the app/,
    );
    expect(run.errors[0]).not.toContain('gone');
  });

  it('the same edge before a service with a token: the 401 of the plain request is not blamed on the token', async () => {
    const stripping = await startFaultyProxy(secured.url, { kind: 'strip' });
    closers.push(stripping.close);
    const run = await smokeTest({ url: stripping.url, 'access-token': TOKEN, checks: 'websocket' });

    expect(statuses(run.report)).toEqual({ ready: 'passed', api: 'passed', websocket: 'failed', cleanup: 'passed' });
    expect(run.errors[0]).toMatch(
      /^The WebSocket handshake to \/api\/ws\/notebooks\/[0-9a-f]{32} was refused with 401 \(.*\), although the REST API accepts the same token: the token did not reach the WebSocket endpoint\. Something in front of the app refused the upgrade/,
    );
  });

  it('a chunk missing from the bucket: frontend names it', async () => {
    const broken = await alteredBuild(build, 'import("./notebook-gone-1a2b3c.js");');
    const brokenEdge = await startEdge(broken, secured.url);
    closers.push(brokenEdge.close);
    const run = await smokeTest({ url: brokenEdge.url, checks: 'frontend' });

    expect(statuses(run.report)).toEqual({ frontend: 'failed', cleanup: 'passed' });
    expect(run.errors[0]).toMatch(/^1 of \d+ files the page loads are broken: \/assets\/notebook-gone-1a2b3c\.js \(HTTP 404\)\. Was the build published completely/);
  });
});
