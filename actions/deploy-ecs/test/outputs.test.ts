import { describe, expect, it } from '@jest/globals';
import { readFile } from 'node:fs/promises';
import { parse } from 'yaml';
import { deployOutputs } from '../src/outputs';
import { deployReport } from './helpers';

const report = deployReport({ deploymentId: 'ecs-svc/2', durationMs: 61_600 });
const kernelArn = 'arn:aws:ecs:us-east-1:123456789012:task-definition/notebook-kernel:3';

describe('deployOutputs', () => {
  it('sets exactly the outputs action.yml declares', async () => {
    const action = parse(await readFile(new URL('../action.yml', import.meta.url), 'utf8')) as { outputs: object };
    const outputs = deployOutputs({ kind: 'finished', report });
    expect(Object.keys(outputs).sort()).toEqual(Object.keys(action.outputs).sort());
  });

  it('reports a finished deploy, its duration in whole seconds', () => {
    expect(deployOutputs({ kind: 'finished', report })).toEqual({
      'task-definition-arn': report.targetArn,
      'kernel-task-definition-arn': '',
      'previous-task-definition-arn': report.previousArn,
      'deployment-id': 'ecs-svc/2',
      'rollout-state': 'COMPLETED',
      'duration-seconds': '62',
    });
  });

  it('keeps what an interrupted deploy did, and claims no outcome for it', () => {
    const started = { ...report, deploymentId: '', state: 'NOT_WAITED' as const, durationMs: 0 };
    expect(deployOutputs({ kind: 'interrupted', report: started, error: new Error('denied') })).toEqual({
      'task-definition-arn': report.targetArn,
      'kernel-task-definition-arn': '',
      'previous-task-definition-arn': report.previousArn,
      'deployment-id': '',
      'rollout-state': '',
      'duration-seconds': '',
    });
  });

  it('names the kernel revision rendered with the image', () => {
    const kernel = { arn: kernelArn, registered: true, containerName: 'kernel' };
    expect(deployOutputs({ kind: 'finished', report: { ...report, kernel } })).toMatchObject({
      'task-definition-arn': report.targetArn,
      'kernel-task-definition-arn': kernelArn,
    });
  });
});
