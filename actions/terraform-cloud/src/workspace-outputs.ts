import { pollUntil, type Clock, type Io } from '@notebook-ship/action-kit';
import type { TfcApi } from './tfc-api';

export interface OutputsOptions {
  intervalMs: number;
  timeoutMs: number;
  clock?: Clock;
}

export interface WorkspaceOutputs {
  values: Record<string, unknown>;
  sensitive: string[];
}

/**
 * The workspace's current outputs by name. The list endpoint hides sensitive values, so each of those is read on
 * its own and masked in the log before anything could print it. While HCP Terraform is still processing the
 * state (503), the read is retried.
 */
export async function readOutputs(
  api: TfcApi,
  workspaceId: string,
  options: OutputsOptions,
  io: Pick<Io, 'secret'>,
): Promise<WorkspaceOutputs> {
  const listed = await pollUntil({
    description: 'the workspace outputs to be processed',
    ...options,
    check: async () => {
      const outputs = await api.currentOutputs(workspaceId);
      return outputs ? { done: true, value: outputs } : { done: false, state: 'processing (503)' };
    },
  });
  const values: Record<string, unknown> = {};
  const sensitive: string[] = [];
  for (const output of listed) {
    let value = output.value;
    if (output.sensitive) {
      value = (await api.output(output.id)).value;
      maskValue(value, io);
      sensitive.push(output.name);
    }
    values[output.name] = value;
  }
  return { values, sensitive };
}

/**
 * Waits until the workspace's current state is the one an apply wrote and HCP Terraform has processed it, so
 * the outputs read next are that apply's.
 */
export async function waitForProcessedState(
  api: TfcApi,
  workspaceId: string,
  runId: string,
  options: OutputsOptions,
): Promise<void> {
  await pollUntil({
    description: `the state written by ${runId} to be processed`,
    ...options,
    check: async () => {
      const state = await api.currentStateVersion(workspaceId);
      const ours = state && (state.runId === undefined || state.runId === runId);
      if (ours && state.processed) return { done: true, value: undefined };
      return { done: false, state: state ? `${state.id} ${ours ? 'processing' : 'from another run'}` : 'no state yet' };
    },
  });
}

/**
 * Registers every form in which a secret output could appear in a log or in the `outputs` JSON (a sensitive
 * boolean has nothing worth hiding, and masking `true` would blank every log line that says it).
 */
function maskValue(value: unknown, io: Pick<Io, 'secret'>): void {
  const forms = new Set<string>();
  if (typeof value === 'string') {
    forms.add(value);
    forms.add(JSON.stringify(value).slice(1, -1));
    for (const line of value.split(/\r?\n/)) if (line.trim().length >= 4) forms.add(line);
  } else if (typeof value === 'number') {
    forms.add(String(value));
  } else if (value && typeof value === 'object') {
    forms.add(JSON.stringify(value));
    const walk = (node: unknown) => {
      if (typeof node === 'string' && node.length >= 4) forms.add(node);
      else if (node && typeof node === 'object') Object.values(node).forEach(walk);
    };
    walk(value);
  }
  for (const form of forms) if (form) io.secret(form);
}
