// The parts of Terraform's JSON plan format (`terraform show -json`) the action reads, and what it makes of them.

export interface JsonChange {
  actions: string[];
  before?: unknown;
  after?: unknown;
  after_unknown?: unknown;
  before_sensitive?: unknown;
  after_sensitive?: unknown;
  replace_paths?: unknown[][];
  importing?: { id?: string } | null;
}

interface JsonResourceChange {
  address: string;
  mode?: string;
  action_reason?: string;
  change: JsonChange;
}

interface JsonPlan {
  resource_changes?: JsonResourceChange[];
  output_changes?: Record<string, JsonChange>;
}

export type ChangeKind = 'create' | 'update' | 'delete' | 'replace' | 'forget' | 'import' | 'read' | 'no-op';

export interface ResourceChange {
  address: string;
  kind: ChangeKind;
  actions: string[];
  /** Terraform's `action_reason`, e.g. `replace_because_cannot_update`. */
  reason?: string;
  importing: boolean;
  change: JsonChange;
}

export interface OutputChange {
  name: string;
  kind: ChangeKind;
  change: JsonChange;
}

export interface Counts {
  add: number;
  change: number;
  destroy: number;
  /** Replacements also count as one add and one destroy, as in Terraform's own summary line. */
  replace: number;
  import: number;
}

export interface PlanModel {
  /** Resources that change (no-ops and data reads are left out), in plan order. */
  resources: ResourceChange[];
  outputs: OutputChange[];
  counts: Counts;
}

export function kindOf(actions: readonly string[], importing = false): ChangeKind {
  const key = [...actions].sort().join(',');
  switch (key) {
    case 'create':
    case 'delete':
    case 'update':
    case 'forget':
    case 'read':
      return key;
    case 'create,delete':
      return 'replace';
    default:
      return importing ? 'import' : 'no-op';
  }
}

/** Reads a JSON plan; anything that is not one is a ConfigurationError-worthy surprise for the caller. */
export function readPlan(json: unknown): PlanModel {
  if (!json || typeof json !== 'object' || !('format_version' in json || 'resource_changes' in json)) {
    throw new Error('The JSON plan is not in the Terraform JSON plan format.');
  }
  const plan = json as JsonPlan;
  const resources: ResourceChange[] = [];
  for (const item of plan.resource_changes ?? []) {
    const importing = Boolean(item.change.importing);
    const kind = kindOf(item.change.actions, importing);
    if (kind === 'no-op' || kind === 'read') continue;
    const { address, action_reason: reason, change } = item;
    resources.push({ address, kind, actions: change.actions, reason, importing, change });
  }
  const outputs = Object.entries(plan.output_changes ?? {})
    .map(([name, change]) => ({ name, kind: kindOf(change.actions), change }))
    .filter((output) => output.kind !== 'no-op');
  return { resources, outputs, counts: countChanges(resources) };
}

function countChanges(resources: readonly ResourceChange[]): Counts {
  const counts: Counts = { add: 0, change: 0, destroy: 0, replace: 0, import: 0 };
  for (const resource of resources) {
    if (resource.importing) counts.import++;
    if (resource.kind === 'create' || resource.kind === 'replace') counts.add++;
    if (resource.kind === 'update') counts.change++;
    if (resource.kind === 'delete' || resource.kind === 'replace') counts.destroy++;
    if (resource.kind === 'replace') counts.replace++;
  }
  return counts;
}

const REASONS: Record<string, string> = {
  replace_because_cannot_update: 'an attribute cannot be updated in place',
  replace_because_tainted: 'the object is tainted',
  replace_by_request: 'replacement was requested',
  replace_by_triggers: 'a replace_triggered_by reference changed',
  delete_because_no_resource_config: 'its configuration was removed',
  delete_because_no_module: 'its module was removed',
  delete_because_wrong_repetition: 'count/for_each changed its kind',
  delete_because_count_index: 'its count index is out of range',
  delete_because_each_key: 'its for_each key is gone',
  delete_because_no_move_target: 'its moved block has no target',
};

export function describeReason(reason: string | undefined): string | undefined {
  return reason ? (REASONS[reason] ?? reason.replace(/_/g, ' ')) : undefined;
}
