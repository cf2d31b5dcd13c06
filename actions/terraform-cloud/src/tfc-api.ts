import { TfcApiError, type TfcHttp } from './tfc-http';

// Typed calls of the HCP Terraform API v2 (JSON:API documents), turned into the small objects the action uses.

interface Identifier {
  id: string;
  type: string;
}

interface Resource<A> {
  id: string;
  type: string;
  attributes: A;
  relationships?: Record<string, { data?: Identifier | Identifier[] | null }>;
  links?: Record<string, string | null>;
}

interface Document<A> {
  data: Resource<A>;
}

interface ListDocument<A> {
  data: Array<Resource<A>>;
  links?: { next?: string | null };
}

export interface Workspace {
  id: string;
  name: string;
  locked: boolean;
  lockedReason?: string;
  /** `runs run-abc`, `users user-abc` or `teams team-abc`. */
  lockedBy?: Identifier;
}

export interface RunActions {
  isCancelable: boolean;
  isConfirmable: boolean;
  isDiscardable: boolean;
}

export interface Run {
  id: string;
  status: string;
  hasChanges: boolean;
  actions: RunActions;
  statusTimestamps: Record<string, string>;
  planId?: string;
  applyId?: string;
  workspaceId?: string;
}

/** A plan's or an apply's own counters, readable with any token that can read runs. */
export interface PhaseResult {
  status: string;
  additions: number;
  changes: number;
  destructions: number;
  imports: number;
  logUrl?: string;
}

export type PlanJson = { kind: 'ready'; json: unknown } | { kind: 'pending' } | { kind: 'unavailable'; reason: string };

export interface StateVersion {
  id: string;
  processed: boolean;
  runId?: string;
}

export interface OutputValue {
  id: string;
  name: string;
  sensitive: boolean;
  value: unknown;
}

export interface NewRun {
  workspaceId: string;
  configurationVersionId: string;
  planOnly: boolean;
  message: string;
}

export class TfcApi {
  constructor(readonly http: TfcHttp) {}

  async workspace(organization: string, name: string): Promise<Workspace> {
    const path = `/organizations/${encodeURIComponent(organization)}/workspaces/${encodeURIComponent(name)}`;
    try {
      const { body } = await this.http.json<Document<WorkspaceAttributes>>('GET', path);
      return toWorkspace((body as Document<WorkspaceAttributes>).data);
    } catch (error) {
      if (error instanceof TfcApiError && error.status === 404) {
        throw new TfcApiError(
          `Workspace "${name}" was not found in organization "${organization}" on ${this.http.origin}, or the token ` +
            'cannot read it: check the "organization" and "workspace" inputs (TF_CLOUD_ORGANIZATION / TF_WORKSPACE).',
          404,
        );
      }
      throw error;
    }
  }

  async workspaceById(id: string): Promise<Workspace> {
    const { body } = await this.http.json<Document<WorkspaceAttributes>>('GET', `/workspaces/${id}`);
    return toWorkspace((body as Document<WorkspaceAttributes>).data);
  }

  async createConfigurationVersion(
    workspaceId: string,
    speculative: boolean,
  ): Promise<{ id: string; uploadUrl: string }> {
    const { body } = await this.http.json<Document<{ 'upload-url'?: string }>>(
      'POST',
      `/workspaces/${workspaceId}/configuration-versions`,
      {
        // Runs are created explicitly, with our message and plan mode, rather than queued by the upload.
        body: { data: { type: 'configuration-versions', attributes: { 'auto-queue-runs': false, speculative } } },
      },
    );
    const data = (body as Document<{ 'upload-url'?: string }>).data;
    const uploadUrl = data.attributes['upload-url'];
    if (!uploadUrl) throw new TfcApiError(`Configuration version ${data.id} came without an upload URL.`, 201);
    return { id: data.id, uploadUrl };
  }

  async upload(uploadUrl: string, archive: Uint8Array): Promise<void> {
    const response = await this.http.unauthenticated('PUT', uploadUrl, archive);
    await response.body?.cancel();
    if (!response.ok) {
      const message = `Uploading the configuration failed: the upload URL answered ${response.status}.`;
      throw new TfcApiError(message, response.status);
    }
  }

  async configurationVersion(id: string): Promise<{ status: string; error?: string }> {
    const { body } = await this.http.json<Document<{ status: string; 'error-message'?: string | null }>>(
      'GET',
      `/configuration-versions/${id}`,
    );
    const attributes = (body as Document<{ status: string; 'error-message'?: string | null }>).data.attributes;
    return { status: attributes.status, error: attributes['error-message'] ?? undefined };
  }

  async createRun({ workspaceId, configurationVersionId, planOnly, message }: NewRun): Promise<Run> {
    const attributes: Record<string, unknown> = { message, 'plan-only': planOnly, 'is-destroy': false };
    // Never let the workspace's auto-apply setting apply a plan before the action has compared it.
    if (!planOnly) attributes['auto-apply'] = false;
    const { body } = await this.http.json<Document<RunAttributes>>('POST', '/runs', {
      body: {
        data: {
          type: 'runs',
          attributes,
          relationships: {
            workspace: { data: { type: 'workspaces', id: workspaceId } },
            'configuration-version': { data: { type: 'configuration-versions', id: configurationVersionId } },
          },
        },
      },
    });
    return toRun((body as Document<RunAttributes>).data);
  }

  async run(id: string): Promise<Run> {
    const { body } = await this.http.json<Document<RunAttributes>>('GET', `/runs/${id}`);
    return toRun((body as Document<RunAttributes>).data);
  }

  /** `apply`, `discard` or `cancel`; 409 (the run moved on meanwhile) is the caller's to judge. */
  async runAction(id: string, action: 'apply' | 'discard' | 'cancel', comment: string): Promise<number> {
    const { status } = await this.http.json('POST', `/runs/${id}/actions/${action}`, {
      body: { comment },
      allow: [409],
    });
    return status;
  }

  async plan(id: string): Promise<PhaseResult> {
    const { body } = await this.http.json<Document<PhaseAttributes>>('GET', `/plans/${id}`);
    return toPhase((body as Document<PhaseAttributes>).data.attributes);
  }

  async apply(id: string): Promise<PhaseResult> {
    const { body } = await this.http.json<Document<PhaseAttributes>>('GET', `/applies/${id}`);
    return toPhase((body as Document<PhaseAttributes>).data.attributes);
  }

  /**
   * The JSON execution plan. The endpoint answers with a redirect to a URL that lives one minute, so it is
   * followed at once, without the token. It needs admin access to the workspace: a token without it gets 403/404,
   * reported as unavailable rather than as a failure.
   */
  async planJson(planId: string): Promise<PlanJson> {
    const response = await this.http.request('GET', `/plans/${planId}/json-output`, {
      allow: [204, 307, 403, 404, 422],
    });
    switch (response.status) {
      case 204:
        return { kind: 'pending' };
      case 403:
      case 404:
        await response.body?.cancel();
        return {
          kind: 'unavailable',
          reason:
            `the token may not read the JSON plan (HTTP ${response.status}; ` +
            'it needs a user or team token with admin access to the workspace)',
        };
      case 422:
        await response.body?.cancel();
        return {
          kind: 'unavailable',
          reason: 'the workspace runs a Terraform version older than 0.12, which has no JSON plan',
        };
      case 307: {
        await response.body?.cancel();
        const location = response.headers.get('location');
        if (!location) return { kind: 'unavailable', reason: 'the JSON plan redirect had no Location' };
        const download = await this.http.unauthenticated('GET', new URL(location, this.http.origin).toString());
        if (!download.ok) {
          await download.body?.cancel();
          return { kind: 'unavailable', reason: `the JSON plan download answered HTTP ${download.status}` };
        }
        return { kind: 'ready', json: await download.json() };
      }
      default:
        return { kind: 'ready', json: await response.json() };
    }
  }

  /** A plan or apply log, for the lines that explain a failure; empty when it cannot be read. */
  async log(url: string): Promise<string> {
    try {
      const response = await this.http.unauthenticated('GET', url);
      return response.ok ? await response.text() : '';
    } catch {
      return '';
    }
  }

  async currentStateVersion(workspaceId: string): Promise<StateVersion | undefined> {
    const { status, body } = await this.http.json<Document<{ 'resources-processed'?: boolean }>>(
      'GET',
      `/workspaces/${workspaceId}/current-state-version`,
      { allow: [404] },
    );
    if (status === 404 || !body) return undefined;
    const run = body.data.relationships?.run?.data;
    return {
      id: body.data.id,
      processed: body.data.attributes['resources-processed'] === true,
      runId: run && !Array.isArray(run) ? run.id : undefined,
    };
  }

  /** The workspace's current outputs (sensitive values come back null); undefined while they are processed (503). */
  async currentOutputs(workspaceId: string): Promise<OutputValue[] | undefined> {
    const outputs: OutputValue[] = [];
    let path: string | undefined = `/workspaces/${workspaceId}/current-state-version-outputs?page%5Bsize%5D=100`;
    while (path) {
      const { status, body }: { status: number; body?: ListDocument<OutputAttributes> } = await this.http.json<
        ListDocument<OutputAttributes>
      >('GET', path, { allow: [503] });
      if (status === 503) return undefined;
      if (!body) break;
      outputs.push(...body.data.map(toOutput));
      path = nextPath(body.links?.next, this.http.origin);
    }
    return outputs;
  }

  async output(id: string): Promise<OutputValue> {
    const { body } = await this.http.json<Document<OutputAttributes>>('GET', `/state-version-outputs/${id}`);
    return toOutput((body as Document<OutputAttributes>).data);
  }
}

interface WorkspaceAttributes {
  name: string;
  locked?: boolean;
  'locked-reason'?: string | null;
}

interface RunAttributes {
  status: string;
  'has-changes'?: boolean;
  'status-timestamps'?: Record<string, string>;
  actions?: { 'is-cancelable'?: boolean; 'is-confirmable'?: boolean; 'is-discardable'?: boolean };
}

interface PhaseAttributes {
  status: string;
  'resource-additions'?: number | null;
  'resource-changes'?: number | null;
  'resource-destructions'?: number | null;
  'resource-imports'?: number | null;
  'log-read-url'?: string | null;
}

interface OutputAttributes {
  name: string;
  sensitive: boolean;
  value: unknown;
}

function single(resource: Resource<unknown>, name: string): Identifier | undefined {
  const data = resource.relationships?.[name]?.data;
  return data && !Array.isArray(data) ? data : undefined;
}

function toWorkspace(data: Resource<WorkspaceAttributes>): Workspace {
  return {
    id: data.id,
    name: data.attributes.name,
    locked: data.attributes.locked === true,
    lockedReason: data.attributes['locked-reason'] || undefined,
    lockedBy: single(data, 'locked-by'),
  };
}

function toRun(data: Resource<RunAttributes>): Run {
  const actions = data.attributes.actions ?? {};
  return {
    id: data.id,
    status: data.attributes.status,
    hasChanges: data.attributes['has-changes'] === true,
    actions: {
      isCancelable: actions['is-cancelable'] === true,
      isConfirmable: actions['is-confirmable'] === true,
      isDiscardable: actions['is-discardable'] === true,
    },
    statusTimestamps: data.attributes['status-timestamps'] ?? {},
    planId: single(data, 'plan')?.id,
    applyId: single(data, 'apply')?.id,
    workspaceId: single(data, 'workspace')?.id,
  };
}

function toPhase(attributes: PhaseAttributes): PhaseResult {
  return {
    status: attributes.status,
    additions: attributes['resource-additions'] ?? 0,
    changes: attributes['resource-changes'] ?? 0,
    destructions: attributes['resource-destructions'] ?? 0,
    imports: attributes['resource-imports'] ?? 0,
    logUrl: attributes['log-read-url'] || undefined,
  };
}

function toOutput(data: Resource<OutputAttributes>): OutputValue {
  const { name, sensitive, value } = data.attributes;
  return { id: data.id, name, sensitive, value };
}

/** A `links.next` URL as a path under /api/v2, ignoring any other origin. */
function nextPath(next: string | null | undefined, origin: string): string | undefined {
  if (!next) return undefined;
  const url = new URL(next, origin);
  if (url.origin !== origin || !url.pathname.startsWith('/api/v2/')) return undefined;
  return url.pathname.slice('/api/v2'.length) + url.search;
}
