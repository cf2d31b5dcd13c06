import type { JsonChange } from './plan-model';

// Attribute-level differences of one change, with unknown and sensitive values shown as Terraform shows them.

export const UNKNOWN = '(known after apply)';
export const SENSITIVE = '(sensitive)';

export interface AttributeRow {
  path: string;
  /** Undefined when the attribute does not exist on that side. */
  before?: string;
  after?: string;
  forcesReplacement: boolean;
}

type Segment = string | number;

/** Rows of every attribute whose value changes (all set attributes for a create), sensitive values hidden. */
export function attributeRows(change: JsonChange): AttributeRow[] {
  const creating = change.before === null || change.before === undefined;
  const before = leaves(change.before);
  const after = leaves(change.after);
  const unknownPaths = [...leaves(change.after_unknown)].filter(([, leaf]) => leaf.value === true).map(([key]) => key);
  const keys = new Map<string, Segment[]>();
  for (const source of [before, after]) {
    for (const [key, entry] of source) if (!keys.has(key)) keys.set(key, entry.path);
  }
  for (const key of unknownPaths) if (!keys.has(key)) keys.set(key, JSON.parse(key) as Segment[]);

  const rows: AttributeRow[] = [];
  for (const [key, path] of keys) {
    const old = before.get(key);
    const next = after.get(key);
    const unknown = covered(change.after_unknown, path);
    const beforeText =
      old === undefined ? undefined : covered(change.before_sensitive, path) ? SENSITIVE : formatValue(old.value);
    const afterText = unknown
      ? UNKNOWN
      : next === undefined
        ? undefined
        : covered(change.after_sensitive, path)
          ? SENSITIVE
          : formatValue(next.value);
    if (creating && (afterText === undefined || afterText === 'null')) continue;
    if (!unknown && old !== undefined && next !== undefined && same(old.value, next.value)) continue;
    rows.push({
      path: formatPath(path),
      before: beforeText,
      after: afterText,
      forcesReplacement: (change.replace_paths ?? []).some((replace) => isPrefix(replace as Segment[], path)),
    });
  }
  return rows;
}

/** The scalar leaves of a JSON value keyed by their JSON-encoded path; empty containers count as leaves. */
function leaves(value: unknown): Map<string, { path: Segment[]; value: unknown }> {
  const found = new Map<string, { path: Segment[]; value: unknown }>();
  const walk = (node: unknown, path: Segment[]) => {
    if (Array.isArray(node) && node.length > 0) node.forEach((item, index) => walk(item, [...path, index]));
    else if (node && typeof node === 'object' && Object.keys(node).length > 0) {
      for (const [key, item] of Object.entries(node)) walk(item, [...path, key]);
    } else if (path.length > 0) found.set(JSON.stringify(path), { path, value: node });
  };
  if (value !== undefined && value !== null) walk(value, []);
  return found;
}

/** Whether a sensitivity or unknown mask marks this path (or one of its parents) with `true`. */
function covered(mask: unknown, path: readonly Segment[]): boolean {
  let node = mask;
  for (const segment of path) {
    if (node === true) return true;
    if (!node || typeof node !== 'object') return false;
    node = (node as Record<string, unknown>)[segment as string];
  }
  return node === true;
}

function isPrefix(prefix: readonly Segment[], path: readonly Segment[]): boolean {
  return prefix.length <= path.length && prefix.every((segment, index) => segment === path[index]);
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

const MAX_VALUE = 120;

/** A value as compact JSON, cut to a readable length. */
export function formatValue(value: unknown): string {
  const text = JSON.stringify(value) ?? 'null';
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

export function formatPath(path: readonly Segment[]): string {
  return path
    .map((segment, index) => {
      if (typeof segment === 'number') return `[${segment}]`;
      if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(segment)) return index === 0 ? segment : `.${segment}`;
      return `[${JSON.stringify(segment)}]`;
    })
    .join('');
}
