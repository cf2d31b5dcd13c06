import { createHash } from 'node:crypto';
import { gunzipSync, gzipSync } from 'node:zlib';
import type { JsonChange, PlanModel } from './plan-model';

/**
 * What a reviewed plan promises, independent of how Terraform prints it: which addresses change with which
 * actions, and a hash of each planned value. Two plans of the same change agree even when their text differs
 * (ordering, timestamps, provider messages); no-ops and data reads are left out, so unrelated drift elsewhere
 * does not count. Sensitive values are hashed as a placeholder: reviewers never saw them, and a hash of a short
 * secret published in a comment could be guessed.
 */
export interface FingerprintEntry {
  /** `aws_s3_bucket.logs`, or `output.bucket_name` for an output. */
  address: string;
  /** Terraform's actions joined with `,`: `create`, `delete,create`... */
  actions: string;
  /** The first 16 hex digits of the SHA-256 of the planned value. */
  after: string;
}

export interface Fingerprint {
  digest: string;
  entries: FingerprintEntry[];
}

export function fingerprintPlan(plan: PlanModel): Fingerprint {
  const entries = [
    ...plan.resources.map((resource) => entry(resource.address, resource.change)),
    ...plan.outputs.map((output) => entry(`output.${output.name}`, output.change)),
  ].sort((a, b) => (a.address < b.address ? -1 : a.address > b.address ? 1 : 0));
  return { digest: `sha256:${sha256(canonical(entries))}`, entries };
}

function entry(address: string, change: JsonChange): FingerprintEntry {
  const planned = [redact(change.after, change.after_sensitive), change.after_unknown ?? false];
  return { address, actions: change.actions.join(','), after: sha256(canonical(planned)).slice(0, 16) };
}

/** The value with every sensitive part replaced by a fixed marker. */
function redact(value: unknown, mask: unknown): unknown {
  if (mask === true) return '(sensitive)';
  if (!mask || typeof mask !== 'object' || !value || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, index) => redact(item, (mask as unknown[])[index]));
  return Object.fromEntries(
    Object.entries(value).map(([key, item]) => [key, redact(item, (mask as Record<string, unknown>)[key])]),
  );
}

/** JSON with object keys sorted, so equal values always hash alike. */
export function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const members = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(record[key])}`);
    return `{${members.join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The entries in the compact form kept in the PR comment: gzip of `[[address, actions, after], ...]` in base64. */
export function encodeEntries(entries: readonly FingerprintEntry[]): string {
  return gzipSync(JSON.stringify(entries.map((item) => [item.address, item.actions, item.after]))).toString('base64');
}

export function decodeEntries(encoded: string): FingerprintEntry[] | undefined {
  try {
    const rows = JSON.parse(gunzipSync(Buffer.from(encoded, 'base64')).toString('utf8')) as unknown;
    if (!Array.isArray(rows)) return undefined;
    return rows.map((row) => {
      const [address, actions, after] = row as [string, string, string];
      return { address, actions, after };
    });
  } catch {
    return undefined;
  }
}

/** Why two fingerprints differ, one line per address, for the failure message. */
export function explainDifference(
  reviewed: readonly FingerprintEntry[],
  current: readonly FingerprintEntry[],
): string[] {
  const before = new Map(reviewed.map((item) => [item.address, item]));
  const now = new Map(current.map((item) => [item.address, item]));
  const lines: string[] = [];
  for (const item of current) {
    const old = before.get(item.address);
    if (!old) lines.push(`${item.address}: not in the reviewed plan (now ${item.actions})`);
    else if (old.actions !== item.actions) lines.push(`${item.address}: reviewed ${old.actions}, now ${item.actions}`);
    else if (old.after !== item.after) lines.push(`${item.address}: planned values differ (${item.actions})`);
  }
  for (const item of reviewed) {
    if (!now.has(item.address)) lines.push(`${item.address}: in the reviewed plan (${item.actions}), not planned now`);
  }
  return lines;
}
