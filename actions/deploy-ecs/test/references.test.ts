import { describe, expect, it } from '@jest/globals';
import {
  deploymentsConsoleUrl,
  familyOf,
  parseFamilyOrRevision,
  parseRevisionReference,
  resourceName,
  revisionName,
} from '../src/references';

describe('parseRevisionReference', () => {
  it('accepts a task definition ARN of the job’s region, in any partition', () => {
    expect(parseRevisionReference('arn:aws:ecs:us-east-1:123456789012:task-definition/notebook:12', 'us-east-1')).toEqual({
      reference: 'arn:aws:ecs:us-east-1:123456789012:task-definition/notebook:12',
      family: 'notebook',
      revision: 12,
    });
    expect(parseRevisionReference('arn:aws-cn:ecs:cn-north-1:123456789012:task-definition/a_b-c:3', 'cn-north-1')).toMatchObject({
      family: 'a_b-c',
      revision: 3,
    });
  });

  it('accepts family:revision', () => {
    expect(parseRevisionReference('notebook:7', 'eu-west-1')).toEqual({ reference: 'notebook:7', family: 'notebook', revision: 7 });
  });

  it.each(['notebook', 'notebook:0', 'notebook:latest', 'arn:aws:ecs:us-east-1:123456789012:task-definition/notebook', ' notebook:1'])(
    'refuses %p, saying what it accepts',
    (value) => {
      expect(() => parseRevisionReference(value, 'us-east-1')).toThrow(
        `Input "task-definition-arn" must be a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>), <family>:<revision>, or "previous"; got "${value}".`,
      );
    },
  );

  it('names the input it reads, and offers "previous" only where it means something', () => {
    expect(() => parseRevisionReference('latest', 'us-east-1', 'base-task-definition')).toThrow(
      'Input "base-task-definition" must be a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/<family>:<revision>), <family>:<revision>; got "latest".',
    );
  });

  it('refuses an ARN of another region', () => {
    expect(() => parseRevisionReference('arn:aws:ecs:eu-west-1:123456789012:task-definition/notebook:1', 'us-east-1')).toThrow(
      'names a task definition in eu-west-1, but this job deploys to us-east-1',
    );
  });
});

describe('names', () => {
  it('shortens ARNs for people', () => {
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/notebook:12';
    expect(revisionName(arn)).toBe('notebook:12');
    expect(familyOf(arn)).toBe('notebook');
    expect(familyOf('notebook:3')).toBe('notebook');
    expect(resourceName('arn:aws:ecs:us-east-1:123456789012:cluster/prod')).toBe('prod');
    expect(resourceName('prod')).toBe('prod');
  });

  it('links to the service’s deployments in the console', () => {
    expect(deploymentsConsoleUrl('eu-west-1', 'prod', 'notebook')).toBe(
      'https://eu-west-1.console.aws.amazon.com/ecs/v2/clusters/prod/services/notebook/deployments?region=eu-west-1',
    );
  });
});

describe('parseFamilyOrRevision', () => {
  it('accepts a family alone, family:revision and an ARN of the job’s region', () => {
    expect(parseFamilyOrRevision('notebook-kernel', 'us-east-1', 'kernel-task-definition')).toBe('notebook-kernel');
    expect(parseFamilyOrRevision('notebook-kernel:4', 'us-east-1', 'kernel-task-definition')).toBe('notebook-kernel:4');
    const arn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/notebook-kernel:4';
    expect(parseFamilyOrRevision(arn, 'us-east-1', 'kernel-task-definition')).toBe(arn);
  });

  it('refuses anything else, saying a family is accepted too', () => {
    expect(() => parseFamilyOrRevision('notebook kernel', 'us-east-1', 'kernel-task-definition')).toThrow(
      'Input "kernel-task-definition" must be a task definition ARN (arn:aws:ecs:<region>:<account>:task-definition/' +
        '<family>:<revision>), <family>:<revision>, or a family (its latest ACTIVE revision); got "notebook kernel".',
    );
  });
});
