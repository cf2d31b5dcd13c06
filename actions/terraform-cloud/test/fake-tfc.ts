import { FakeServer, type RecordedRequest, type Reply } from './fake-server';

// A scripted HCP Terraform API v2 on loopback: JSON:API documents shaped as in the API reference, runs that walk
// through the statuses a test scripts, rate limits, workspace locks, and an "archivist" for pre-signed URLs.

export interface FakeOutput {
  name: string;
  sensitive: boolean;
  value: unknown;
}

export interface RateLimitRule {
  /** Matched against `METHOD /api/v2/path`. */
  match: RegExp;
  times: number;
  headers: Record<string, string>;
}

export interface Scenario {
  organization: string;
  workspace: string;
  /** A token with admin access to the workspace: it may read JSON plans. */
  token: string;
  /**
   * Tokens without admin access (a team token with plan permissions only): they may do all the rest, but the JSON
   * plan endpoint answers them this status, as HCP Terraform answers a token that may not read it.
   */
  planOnlyTokens: Record<string, 403 | 404>;
  /** Statuses a plan-only run reports on successive reads; the last one stays. */
  speculativeStatuses: string[];
  /** Statuses an apply run reports while planning; it is confirmable when it rests on a confirmable one. */
  planStatuses: string[];
  /** Statuses after the apply action. */
  applyStatuses: string[];
  hasChanges: boolean;
  /** The JSON plan of the runs created under this scenario (each run keeps its own). */
  planJson: unknown;
  jsonOutput: 'redirect' | 'forbidden';
  /** 204 answers of the JSON plan endpoint before it is ready. */
  jsonPendingReads: number;
  planCounts: { additions: number; changes: number; destructions: number };
  planLog: string;
  applyLog: string;
  /** Reads of the workspace that still report it locked. */
  lockedReads: number;
  outputs: FakeOutput[];
  /** 503 answers of the current outputs before they are processed. */
  outputsProcessingReads: number;
  /** Reads of the current state version after an apply before it is processed. */
  stateProcessingReads: number;
  rateLimits: RateLimitRule[];
}

export function defaultScenario(overrides: Partial<Scenario> = {}): Scenario {
  return {
    organization: 'acme',
    workspace: 'notebook-prod',
    token: 'tfc-secret-token',
    planOnlyTokens: {},
    speculativeStatuses: ['pending', 'plan_queued', 'planning', 'planned_and_finished'],
    planStatuses: ['pending', 'planning', 'planned'],
    applyStatuses: ['confirmed', 'apply_queued', 'applying', 'applied'],
    hasChanges: true,
    planJson: { format_version: '1.2', resource_changes: [] },
    jsonOutput: 'redirect',
    jsonPendingReads: 0,
    planCounts: { additions: 0, changes: 0, destructions: 0 },
    planLog: 'Terraform v1.9.8\nPlan: 0 to add, 0 to change, 0 to destroy.\n',
    applyLog: 'Apply complete! Resources: 0 added, 0 changed, 0 destroyed.\n',
    lockedReads: 0,
    outputs: [],
    outputsProcessingReads: 0,
    stateProcessingReads: 0,
    rateLimits: [],
    ...overrides,
  };
}

interface RequestDocument {
  comment?: string;
  data?: { attributes?: Record<string, unknown>; relationships?: Record<string, { data?: { id?: string } }> };
}

interface FakeRun {
  id: string;
  planOnly: boolean;
  message: string;
  autoApply?: boolean;
  configurationVersion: string;
  script: string[];
  position: number;
  status: string;
  /** Its JSON plan; undefined once it is gone (the endpoint then answers 404). */
  planJson?: unknown;
}

export interface RunAction {
  runId: string;
  action: string;
  comment?: string;
  status: string;
}

const CONFIRMABLE = new Set(['planned', 'cost_estimated', 'policy_checked', 'post_plan_completed']);
const DISCARDABLE = new Set([
  'pending',
  'planned',
  'planned_and_saved',
  'cost_estimated',
  'policy_checked',
  'policy_override',
  'post_plan_running',
  'post_plan_completed',
]);
const CANCELABLE = new Set([
  'plan_queued',
  'planning',
  'cost_estimating',
  'policy_checking',
  'apply_queued',
  'applying',
]);
const WORKSPACE_ID = 'ws-FakeWorkspace1';

export class FakeTfc {
  readonly server: FakeServer;
  scenario: Scenario;
  readonly runs = new Map<string, FakeRun>();
  readonly uploads = new Map<string, Buffer>();
  readonly configurationVersions = new Map<string, { speculative: boolean; autoQueueRuns: boolean }>();
  readonly actions: RunAction[] = [];
  /** Requests to pre-signed URLs that carried an Authorization header: must stay empty. */
  readonly leakedToken: string[] = [];
  private counter = 0;
  private lockedReads = 0;
  private jsonReads = new Map<string, number>();
  private outputsReads = 0;
  private state?: { id: string; runId: string; reads: number };

  constructor(scenario: Scenario = defaultScenario()) {
    this.scenario = scenario;
    this.server = new FakeServer((request, url) => this.handle(request, url));
  }

  get url(): string {
    return this.server.url;
  }

  get requests(): RecordedRequest[] {
    return this.server.requests;
  }

  async start(): Promise<this> {
    await this.server.start();
    return this;
  }

  stop(): Promise<void> {
    return this.server.stop();
  }

  /** Starts a new scenario on the same server (runs and uploads are kept, as in a real organization). */
  reset(scenario: Scenario): void {
    this.scenario = scenario;
    this.lockedReads = 0;
    this.outputsReads = 0;
    this.jsonReads.clear();
  }

  /** Requests made to the API, as `METHOD /path` without the /api/v2 prefix. */
  apiCalls(): string[] {
    return this.requests
      .filter((request) => request.path.startsWith('/api/v2/'))
      .map((request) => `${request.method} ${request.path.slice('/api/v2'.length)}`);
  }

  private handle(request: RecordedRequest, url: URL): Reply | Promise<Reply> {
    if (url.pathname.startsWith('/archivist/')) return this.archivist(request, url);
    if (!url.pathname.startsWith('/api/v2/')) return notFound();
    const token = request.headers.authorization?.replace(/^Bearer /, '') ?? '';
    if (token !== this.scenario.token && !(token in this.scenario.planOnlyTokens)) {
      return { status: 401, body: { errors: [{ status: '401', title: 'unauthorized' }] } };
    }
    const key = `${request.method} ${url.pathname}`;
    const rule = this.scenario.rateLimits.find((candidate) => candidate.times > 0 && candidate.match.test(key));
    if (rule) {
      rule.times--;
      return {
        status: 429,
        headers: rule.headers,
        body: { errors: [{ detail: "You have exceeded the API's rate limit.", status: 429, title: 'Too many requests' }] },
      };
    }
    return this.api(request, url.pathname.slice('/api/v2'.length), url, this.scenario.planOnlyTokens[token]);
  }

  /** `jsonDenied`: what the JSON plan endpoint answers this token, when it lacks admin access. */
  private api(request: RecordedRequest, path: string, url: URL, jsonDenied: 403 | 404 | undefined): Reply {
    const { scenario } = this;
    const body = request.body.length ? (JSON.parse(request.body.toString('utf8')) as RequestDocument) : {};
    let match: RegExpExecArray | null;
    if (request.method === 'GET' && (match = /^\/organizations\/([^/]+)\/workspaces\/([^/]+)$/.exec(path))) {
      const [organization, workspace] = [match[1], match[2]].map((part) => decodeURIComponent(part as string));
      if (organization !== scenario.organization || workspace !== scenario.workspace) return notFound();
      return this.workspaceDocument();
    }
    if (request.method === 'GET' && path === `/workspaces/${WORKSPACE_ID}`) return this.workspaceDocument();
    if (request.method === 'POST' && path === `/workspaces/${WORKSPACE_ID}/configuration-versions`) {
      const id = `cv-${this.next()}`;
      const attributes = body.data?.attributes ?? {};
      const speculative = attributes.speculative === true;
      this.configurationVersions.set(id, { speculative, autoQueueRuns: attributes['auto-queue-runs'] !== false });
      const uploadUrl = `${this.url}/archivist/upload/${id}`;
      return {
        status: 201,
        body: {
          data: { id, type: 'configuration-versions', attributes: { status: 'pending', speculative, 'upload-url': uploadUrl } },
        },
      };
    }
    if (request.method === 'GET' && (match = /^\/configuration-versions\/([^/]+)$/.exec(path))) {
      const id = match[1] as string;
      if (!this.configurationVersions.has(id)) return notFound();
      const status = this.uploads.has(id) ? 'uploaded' : 'pending';
      return { status: 200, body: { data: { id, type: 'configuration-versions', attributes: { status } } } };
    }
    if (request.method === 'POST' && path === '/runs') {
      const attributes = body.data?.attributes ?? {};
      const configurationVersion = body.data?.relationships?.['configuration-version']?.data?.id as string;
      if (!this.uploads.has(configurationVersion)) {
        return { status: 422, body: { errors: [{ title: 'configuration version not uploaded' }] } };
      }
      const planOnly = attributes['plan-only'] === true;
      const id = `run-${this.next()}`;
      const script = planOnly ? scenario.speculativeStatuses : scenario.planStatuses;
      const run: FakeRun = {
        id,
        planOnly,
        message: String(attributes.message),
        autoApply: attributes['auto-apply'] as boolean | undefined,
        configurationVersion,
        script: [...script],
        position: 0,
        status: 'pending',
        planJson: scenario.planJson,
      };
      this.runs.set(id, run);
      return { status: 201, body: this.runDocument(run) };
    }
    if (request.method === 'GET' && (match = /^\/runs\/([^/]+)$/.exec(path))) {
      const run = this.runs.get(match[1] as string);
      if (!run) return notFound();
      run.status = run.script[Math.min(run.position, run.script.length - 1)] as string;
      run.position++;
      if (run.status === 'applied' && this.state?.runId !== run.id) {
        this.state = { id: `sv-${this.next()}`, runId: run.id, reads: 0 };
      }
      return { status: 200, body: this.runDocument(run) };
    }
    if (request.method === 'POST' && (match = /^\/runs\/([^/]+)\/actions\/(apply|discard|cancel)$/.exec(path))) {
      const run = this.runs.get(match[1] as string);
      if (!run) return notFound();
      const action = match[2] as string;
      const flags = this.flags(run);
      const flag = { apply: 'is-confirmable', discard: 'is-discardable', cancel: 'is-cancelable' }[action] as string;
      const allowed = flags[flag];
      this.actions.push({ runId: run.id, action, comment: body.comment, status: run.status });
      if (!allowed) return { status: 409, body: { errors: [{ status: '409', title: 'transition not allowed' }] } };
      run.script = action === 'apply' ? [...scenario.applyStatuses] : [action === 'discard' ? 'discarded' : 'canceled'];
      run.position = 0;
      return { status: 202 };
    }
    if (request.method === 'GET' && (match = /^\/plans\/plan-([^/]+)$/.exec(path))) {
      const run = this.runs.get(`run-${match[1]}`);
      if (!run) return notFound();
      const errored = run.status === 'errored';
      return {
        status: 200,
        body: {
          data: {
            id: `plan-${match[1]}`,
            type: 'plans',
            attributes: {
              status: errored ? 'errored' : 'finished',
              'has-changes': scenario.hasChanges,
              'resource-additions': scenario.planCounts.additions,
              'resource-changes': scenario.planCounts.changes,
              'resource-destructions': scenario.planCounts.destructions,
              'resource-imports': 0,
              'log-read-url': `${this.url}/archivist/log/plan-${match[1]}`,
            },
            links: {
              self: `/api/v2/plans/plan-${match[1]}`,
              'json-output': `/api/v2/plans/plan-${match[1]}/json-output`,
            },
          },
        },
      };
    }
    if (request.method === 'GET' && (match = /^\/plans\/(plan-[^/]+)\/json-output$/.exec(path))) {
      const reads = (this.jsonReads.get(match[1] as string) ?? 0) + 1;
      this.jsonReads.set(match[1] as string, reads);
      if (scenario.jsonOutput === 'forbidden') {
        return { status: 403, body: { errors: [{ status: '403', title: 'forbidden' }] } };
      }
      if (jsonDenied === 403) return { status: 403, body: { errors: [{ status: '403', title: 'forbidden' }] } };
      const run = this.runs.get(`run-${(match[1] as string).slice('plan-'.length)}`);
      if (jsonDenied === 404 || !run || run.planJson === undefined) return notFound();
      if (reads <= scenario.jsonPendingReads) return { status: 204 };
      return {
        status: 307,
        headers: { Location: `${this.url}/archivist/plan-json/${match[1]}?expires=${Date.now() + 60_000}` },
        body: '307 Temporary Redirect',
      };
    }
    if (request.method === 'GET' && (match = /^\/applies\/apply-([^/]+)$/.exec(path))) {
      const run = this.runs.get(`run-${match[1]}`);
      if (!run) return notFound();
      return {
        status: 200,
        body: {
          data: {
            id: `apply-${match[1]}`,
            type: 'applies',
            attributes: {
              status: run.status === 'applied' ? 'finished' : run.status === 'errored' ? 'errored' : 'running',
              'resource-additions': scenario.planCounts.additions,
              'resource-changes': scenario.planCounts.changes,
              'resource-destructions': scenario.planCounts.destructions,
              'resource-imports': 0,
              'log-read-url': `${this.url}/archivist/log/apply-${match[1]}`,
            },
          },
        },
      };
    }
    if (request.method === 'GET' && path === `/workspaces/${WORKSPACE_ID}/current-state-version`) {
      if (!this.state) return notFound();
      this.state.reads++;
      const processed = this.state.reads > scenario.stateProcessingReads;
      return {
        status: 200,
        body: {
          data: {
            id: this.state.id,
            type: 'state-versions',
            attributes: { 'resources-processed': processed, status: 'finalized', serial: 3 },
            relationships: { run: { data: { id: this.state.runId, type: 'runs' } } },
          },
        },
      };
    }
    if (request.method === 'GET' && path === `/workspaces/${WORKSPACE_ID}/current-state-version-outputs`) {
      this.outputsReads++;
      if (this.outputsReads <= scenario.outputsProcessingReads) {
        return { status: 503, body: { errors: [{ status: '503', title: 'state version outputs are being processed' }] } };
      }
      if (url.searchParams.get('page[size]') !== '100') {
        return { status: 400, body: { errors: [{ title: 'expected page[size]=100' }] } };
      }
      return {
        status: 200,
        body: { data: scenario.outputs.map((output, index) => this.outputDocument(output, index, true)) },
      };
    }
    if (request.method === 'GET' && (match = /^\/state-version-outputs\/wsout-(\d+)$/.exec(path))) {
      const output = scenario.outputs[Number(match[1])];
      if (!output) return notFound();
      return { status: 200, body: { data: this.outputDocument(output, Number(match[1]), false) } };
    }
    return notFound();
  }

  private archivist(request: RecordedRequest, url: URL): Reply {
    if (request.headers.authorization) {
      this.leakedToken.push(url.pathname);
      return { status: 400, body: 'pre-signed URLs take no Authorization header' };
    }
    let match: RegExpExecArray | null;
    if (request.method === 'PUT' && (match = /^\/archivist\/upload\/(cv-[^/]+)$/.exec(url.pathname))) {
      if (request.headers['content-type'] !== 'application/octet-stream') {
        return { status: 415, body: 'octet-stream expected' };
      }
      this.uploads.set(match[1] as string, request.body);
      return { status: 200 };
    }
    if (request.method === 'GET' && (match = /^\/archivist\/plan-json\/plan-([^/]+)$/.exec(url.pathname))) {
      if (Number(url.searchParams.get('expires')) < Date.now()) return { status: 403, body: 'expired' };
      const run = this.runs.get(`run-${match[1]}`);
      if (!run || run.planJson === undefined) return notFound();
      return { status: 200, body: run.planJson };
    }
    if (request.method === 'GET' && (match = /^\/archivist\/log\/(plan|apply)-/.exec(url.pathname))) {
      const log = match[1] === 'plan' ? this.scenario.planLog : this.scenario.applyLog;
      return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: log };
    }
    return notFound();
  }

  private workspaceDocument(): Reply {
    const locked = this.lockedReads < this.scenario.lockedReads;
    this.lockedReads++;
    return {
      status: 200,
      body: {
        data: {
          id: WORKSPACE_ID,
          type: 'workspaces',
          attributes: {
            name: this.scenario.workspace,
            locked,
            'locked-reason': locked ? 'state surgery' : null,
            'auto-apply': true,
          },
          relationships: { 'locked-by': { data: locked ? { id: 'user-Maintainer1', type: 'users' } : null } },
          links: { self: `/api/v2/organizations/${this.scenario.organization}/workspaces/${this.scenario.workspace}` },
        },
      },
    };
  }

  private flags(run: FakeRun): Record<string, boolean> {
    const resting = run.position >= run.script.length;
    return {
      'is-cancelable': CANCELABLE.has(run.status),
      'is-confirmable': !run.planOnly && resting && CONFIRMABLE.has(run.status),
      'is-discardable': DISCARDABLE.has(run.status),
      'is-force-cancelable': false,
    };
  }

  private runDocument(run: FakeRun) {
    const number = run.id.slice('run-'.length);
    return {
      data: {
        id: run.id,
        type: 'runs',
        attributes: {
          actions: this.flags(run),
          'has-changes': this.scenario.hasChanges,
          'is-destroy': false,
          message: run.message,
          'plan-only': run.planOnly,
          source: 'tfe-api',
          status: run.status,
          'status-timestamps': {},
        },
        relationships: {
          plan: { data: { id: `plan-${number}`, type: 'plans' } },
          apply: { data: { id: `apply-${number}`, type: 'applies' } },
          workspace: { data: { id: WORKSPACE_ID, type: 'workspaces' } },
          'configuration-version': { data: { id: run.configurationVersion, type: 'configuration-versions' } },
        },
        links: { self: `/api/v2/runs/${run.id}` },
      },
    };
  }

  private outputDocument(output: FakeOutput, index: number, listed: boolean) {
    return {
      id: `wsout-${index}`,
      type: 'state-version-outputs',
      attributes: {
        name: output.name,
        sensitive: output.sensitive,
        type: typeof output.value === 'string' ? 'string' : 'object',
        // As documented: the list hides sensitive values; reading one output reveals it.
        value: listed && output.sensitive ? null : output.value,
        'detailed-type': typeof output.value === 'string' ? 'string' : 'dynamic',
      },
      links: { self: `/api/v2/state-version-outputs/wsout-${index}` },
    };
  }

  private next(): string {
    this.counter++;
    return `Fake${String(this.counter).padStart(4, '0')}`;
  }
}

function notFound(): Reply {
  return { status: 404, body: { errors: [{ status: '404', title: 'not found' }] } };
}
