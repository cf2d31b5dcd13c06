import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { attributeRows, formatPath } from '../src/attributes';
import { decodeEntries, encodeEntries, explainDifference, fingerprintPlan } from '../src/fingerprint';
import { kindOf, readPlan } from '../src/plan-model';

const fixture = () => JSON.parse(readFileSync(new URL('fixtures/plan-changes.json', import.meta.url), 'utf8')) as {
  resource_changes: Array<{ address: string; change: { actions: string[]; after: Record<string, unknown> } }>;
  output_changes: Record<string, unknown>;
};

function change(plan: ReturnType<typeof readPlan>, address: string) {
  const resource = plan.resources.find((item) => item.address === address);
  if (!resource) throw new Error(`no ${address}`);
  return resource.change;
}

describe('readPlan', () => {
  it('keeps resources that change, and counts as Terraform does', () => {
    const plan = readPlan(fixture());
    expect(plan.resources.map((resource) => [resource.address, resource.kind])).toEqual([
      ['aws_s3_bucket.logs', 'create'],
      ['aws_ecs_service.app', 'update'],
      ['aws_db_instance.main', 'update'],
      ['module.edge.aws_instance.bastion[0]', 'replace'],
      ['aws_iam_user.legacy', 'delete'],
    ]);
    expect(plan.counts).toEqual({ add: 2, change: 2, destroy: 2, replace: 1, import: 0 });
    expect(plan.outputs.map((output) => [output.name, output.kind])).toEqual([
      ['bucket_name', 'create'],
      ['db_password', 'update'],
    ]);
  });

  it('names action lists', () => {
    expect(kindOf(['create', 'delete'])).toBe('replace');
    expect(kindOf(['delete', 'create'])).toBe('replace');
    expect(kindOf(['no-op'], true)).toBe('import');
    expect(kindOf(['forget'])).toBe('forget');
  });

  it('refuses what is not a JSON plan', () => {
    expect(() => readPlan({ hello: 'world' })).toThrow('not in the Terraform JSON plan format');
    expect(() => readPlan('text')).toThrow('not in the Terraform JSON plan format');
  });
});

describe('attributeRows', () => {
  const plan = readPlan(fixture());

  it('lists what a create sets, with computed values as (known after apply)', () => {
    expect(attributeRows(change(plan, 'aws_s3_bucket.logs'))).toEqual([
      { path: 'bucket', after: '"notebook-logs"', forcesReplacement: false },
      { path: 'force_destroy', after: 'false', forcesReplacement: false },
      { path: 'tags.Name', after: '"logs"', forcesReplacement: false },
      { path: 'tags.team', after: '"data"', forcesReplacement: false },
      { path: 'arn', after: '(known after apply)', forcesReplacement: false },
      { path: 'id', after: '(known after apply)', forcesReplacement: false },
      { path: 'tags_all', after: '(known after apply)', forcesReplacement: false },
    ]);
  });

  it('lists only the attributes an update changes', () => {
    expect(attributeRows(change(plan, 'aws_ecs_service.app')).map((row) => [row.path, row.before, row.after])).toEqual([
      ['desired_count', '1', '2'],
      [
        'task_definition',
        '"arn:aws:ecs:eu-west-1:123456789012:task-definition/notebook:7"',
        '"arn:aws:ecs:eu-west-1:123456789012:task-definition/notebook:8"',
      ],
    ]);
  });

  it('shows a changed sensitive value as changed, never its value', () => {
    const rows = attributeRows(change(plan, 'aws_db_instance.main'));
    expect(rows).toEqual([{ path: 'password', before: '(sensitive)', after: '(sensitive)', forcesReplacement: false }]);
    expect(JSON.stringify(rows)).not.toContain('db-password');
  });

  it('marks the attribute that forces a replacement', () => {
    expect(attributeRows(change(plan, 'module.edge.aws_instance.bastion[0]'))).toEqual([
      { path: 'ami', before: '"ami-0111"', after: '"ami-0222"', forcesReplacement: true },
      { path: 'id', before: '"i-0123"', after: '(known after apply)', forcesReplacement: false },
    ]);
  });

  it('writes paths the way Terraform addresses them', () => {
    expect(formatPath(['ingress', 0, 'cidr_blocks', 1])).toBe('ingress[0].cidr_blocks[1]');
    expect(formatPath(['tags', 'kubernetes.io/role'])).toBe('tags["kubernetes.io/role"]');
  });
});

describe('fingerprintPlan', () => {
  const digest = (json: unknown) => fingerprintPlan(readPlan(json)).digest;

  it('is the same for the same changes in any order and key order', () => {
    const reordered = fixture();
    reordered.resource_changes.reverse();
    const ecs = reordered.resource_changes.find((item) => item.address === 'aws_ecs_service.app');
    if (!ecs) throw new Error('fixture changed');
    ecs.change.after = Object.fromEntries(Object.entries(ecs.change.after).reverse());
    expect(digest(reordered)).toBe(digest(fixture()));
    expect(digest(fixture())).toMatch(/^sha256:[0-9a-f]{64}$/);
  });

  it('ignores no-ops and reads, so drift elsewhere does not invalidate a review', () => {
    const withNoOp = fixture();
    withNoOp.resource_changes.push({ address: 'aws_route53_zone.main', change: { actions: ['no-op'], after: { name: 'x' } } });
    expect(digest(withNoOp)).toBe(digest(fixture()));
  });

  it('changes when a planned value or an action changes', () => {
    const value = fixture();
    (value.resource_changes.find((item) => item.address === 'aws_ecs_service.app')?.change.after as Record<string, unknown>).desired_count = 3;
    const action = fixture();
    (action.resource_changes.find((item) => item.address === 'aws_iam_user.legacy')?.change as { actions: string[] }).actions = ['forget'];
    expect(new Set([digest(fixture()), digest(value), digest(action)]).size).toBe(3);
  });

  it('does not depend on, nor reveal, sensitive values', () => {
    const other = fixture();
    (other.resource_changes.find((item) => item.address === 'aws_db_instance.main')?.change.after as Record<string, unknown>).password = 'another';
    expect(digest(other)).toBe(digest(fixture()));
    const encoded = encodeEntries(fingerprintPlan(readPlan(fixture())).entries);
    expect(Buffer.from(encoded, 'base64').toString('latin1')).not.toContain('password-456');
  });

  it('keeps its entries through the compact comment encoding, and explains differences', () => {
    const reviewed = fingerprintPlan(readPlan(fixture()));
    expect(decodeEntries(encodeEntries(reviewed.entries))).toEqual(reviewed.entries);
    expect(decodeEntries('not base64 gzip')).toBeUndefined();

    const now = fixture();
    (now.resource_changes.find((item) => item.address === 'aws_ecs_service.app')?.change.after as Record<string, unknown>).desired_count = 3;
    now.resource_changes = now.resource_changes.filter((item) => item.address !== 'aws_iam_user.legacy');
    now.resource_changes.push({ address: 'aws_sqs_queue.jobs', change: { actions: ['create'], after: { name: 'jobs' } } });
    (now.resource_changes.find((item) => item.address === 'aws_s3_bucket.logs')?.change as { actions: string[] }).actions = ['delete', 'create'];
    expect(explainDifference(reviewed.entries, fingerprintPlan(readPlan(now)).entries)).toEqual([
      'aws_ecs_service.app: planned values differ (update)',
      'aws_s3_bucket.logs: reviewed create, now delete,create',
      'aws_sqs_queue.jobs: not in the reviewed plan (now create)',
      'aws_iam_user.legacy: in the reviewed plan (delete), not planned now',
    ]);
  });
});
