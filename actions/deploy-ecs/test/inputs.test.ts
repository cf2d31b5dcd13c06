import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { recordingIo, useInputs } from '@notebook-ship/action-kit/testing';
import { readConfig } from '../src/inputs';

// readConfig reads INPUT_* variables through @actions/core, as on a runner.
const withInputs = useInputs({ beforeEach, afterEach });

const base = { cluster: 'prod', service: 'notebook' };
const image = '123456789012.dkr.ecr.us-east-1.amazonaws.com/notebook@sha256:' + 'a'.repeat(64);
const noChange = { image: '', containerName: '', environment: new Map<string, string>() };

describe('readConfig', () => {
  it('applies the documented defaults', () => {
    withInputs({ ...base, image });
    expect(readConfig(recordingIo())).toEqual({
      cluster: 'prod',
      service: 'notebook',
      region: '',
      source: { kind: 'render', change: { image, containerName: '', environment: new Map() } },
      minimumHealthyPercent: 0,
      maximumPercent: 100,
      circuitBreaker: true,
      wait: true,
      timeoutMs: 15 * 60_000,
      pollIntervalMs: 10_000,
      allowVersionWithoutImage: false,
      verifyImage: true,
    });
  });

  it('reads every input', () => {
    withInputs({
      ...base,
      image: 'notebook:1.2.3',
      'container-name': 'app',
      environment: 'APP_VERSION=1.2.3\nMODE=a=b',
      'minimum-healthy-percent': '50',
      'maximum-percent': '200',
      'circuit-breaker': 'false',
      wait: 'false',
      'timeout-minutes': '2.5',
      'poll-interval-seconds': '0.5',
      'aws-region': 'eu-west-1',
      'allow-version-without-image': 'true',
      'verify-image': 'false',
    });
    expect(readConfig(recordingIo())).toMatchObject({
      region: 'eu-west-1',
      source: {
        kind: 'render',
        change: {
          image: 'notebook:1.2.3',
          containerName: 'app',
          environment: new Map([
            ['APP_VERSION', '1.2.3'],
            ['MODE', 'a=b'],
          ]),
        },
      },
      minimumHealthyPercent: 50,
      maximumPercent: 200,
      circuitBreaker: false,
      wait: false,
      timeoutMs: 150_000,
      pollIntervalMs: 500,
      allowVersionWithoutImage: true,
      verifyImage: false,
    });
  });

  it('says that an image tag can move, and nothing about a digest', () => {
    withInputs({ ...base, image: 'notebook:1.2.3' });
    const io = recordingIo();
    readConfig(io);
    expect(io.infos).toEqual(['Image notebook:1.2.3 is a tag, which can move: a digest (repo@sha256:...) pins exactly what runs.']);
    withInputs({ image });
    const quiet = recordingIo();
    readConfig(quiet);
    expect(quiet.infos).toEqual([]);
  });

  it('tells rollbacks, files and renders apart', () => {
    withInputs({ ...base, 'task-definition-arn': 'previous' });
    expect(readConfig(recordingIo()).source).toEqual({ kind: 'previous' });
    withInputs({ 'task-definition-arn': 'notebook:3' });
    expect(readConfig(recordingIo()).source).toEqual({ kind: 'revision', reference: 'notebook:3' });
    withInputs({ 'task-definition-arn': '', 'task-definition': 'deploy/taskdef.json' });
    expect(readConfig(recordingIo()).source).toEqual({ kind: 'file', path: 'deploy/taskdef.json', change: noChange });
    withInputs({ 'task-definition': '', environment: 'APP_VERSION=2' });
    const change = { ...noChange, environment: new Map([['APP_VERSION', '2']]) };
    expect(readConfig(recordingIo()).source).toEqual({ kind: 'render', change });
    withInputs({ 'base-task-definition': 'notebook:7' });
    expect(readConfig(recordingIo()).source).toEqual({ kind: 'base', reference: 'notebook:7', change });
    withInputs({ 'base-task-definition': '', environment: '', 'task-definition-arn': '', 'scale-to-zero': 'true' });
    expect(readConfig(recordingIo()).source).toEqual({ kind: 'scale-to-zero' });
  });

  it('takes a base revision alone: the base is deployed with nothing swapped in', () => {
    withInputs({ ...base, 'base-task-definition': 'notebook:7' });
    expect(readConfig(recordingIo())).toMatchObject({ source: { kind: 'base', reference: 'notebook:7', change: { image: '' } } });
  });

  it.each([
    [{ 'task-definition-arn': 'previous' }, '"task-definition-arn"'],
    [{ 'task-definition': 'taskdef.json' }, '"task-definition"'],
    [{ 'task-definition-arn': 'notebook:3', 'task-definition': 'taskdef.json' }, '"task-definition-arn", "task-definition"'],
  ])('refuses base-task-definition with %p', (inputs, named) => {
    withInputs({ ...base, 'base-task-definition': 'notebook:7', ...inputs });
    expect(() => readConfig(recordingIo())).toThrow(
      `Input "base-task-definition" names the revision to render the image and environment into, so it cannot be ` +
        `combined with ${named}: task-definition-arn deploys an existing revision as-is and task-definition renders ` +
        'a file instead; set only one of the three.',
    );
  });

  it('refuses scale-to-zero with anything to deploy', () => {
    withInputs({ ...base, 'scale-to-zero': 'true', image, 'task-definition-arn': 'previous' });
    expect(() => readConfig(recordingIo())).toThrow(
      'Input "scale-to-zero" stops every task of the service and deploys nothing, so it cannot be combined with ' +
        '"image", "task-definition-arn": set either scale-to-zero or what to deploy.',
    );
  });

  it('refuses task-definition-arn with anything that would change the revision', () => {
    withInputs({ ...base, 'task-definition-arn': 'previous', image, environment: 'A=1', 'container-name': 'app' });
    expect(() => readConfig(recordingIo())).toThrow(
      'Input "task-definition-arn" deploys an existing revision as-is, so it cannot be combined with "image", ' +
        '"container-name", "environment": set either task-definition-arn (a rollback) or the image to render a new revision.',
    );
  });

  it('takes a kernel task definition with the image it renders into it', () => {
    withInputs({ ...base, image, 'base-task-definition': 'notebook:7', 'kernel-task-definition': 'notebook-kernel' });
    expect(readConfig(recordingIo()).source).toEqual({
      kind: 'base',
      reference: 'notebook:7',
      change: { ...noChange, image },
      kernel: 'notebook-kernel',
    });
  });

  it.each([
    [
      { 'task-definition-arn': 'previous' },
      'Input "task-definition-arn" deploys an existing revision as-is, so it cannot be combined with ' +
        '"kernel-task-definition": set either task-definition-arn (a rollback) or the image to render a new revision.',
    ],
    [
      { image, 'scale-to-zero': 'true' },
      'Input "scale-to-zero" stops every task of the service and deploys nothing, so it cannot be combined with ' +
        '"image", "kernel-task-definition": set either scale-to-zero or what to deploy.',
    ],
    [
      { environment: 'APP_VERSION=2' },
      'Input "kernel-task-definition" renders the kernel task definition with the image being deployed, so it ' +
        'needs "image": set the image too, or leave kernel-task-definition empty.',
    ],
    [
      { image, environment: 'KERNEL_ECS_TASK_DEFINITION=notebook-kernel:1' },
      'Input "environment" sets KERNEL_ECS_TASK_DEFINITION, which deploy-ecs sets to the kernel revision it renders ' +
        'from "kernel-task-definition": remove that line.',
    ],
  ])('refuses kernel-task-definition with %p', (inputs, message) => {
    withInputs({ ...base, 'kernel-task-definition': 'notebook-kernel', ...inputs });
    expect(() => readConfig(recordingIo())).toThrow(message);
  });

  it('asks for something to deploy', () => {
    withInputs(base);
    expect(() => readConfig(recordingIo())).toThrow('Nothing to deploy: set "image"');
  });

  it.each([
    [{ image: 'notebook image' }, 'Input "image" is not a valid image reference (it contains whitespace)'],
    [{ image: 'notebook@sha256:abc' }, 'Input "image" is not a valid image reference (the digest after "@" must be sha256:'],
    [{ image, 'minimum-healthy-percent': '101' }, 'Input "minimum-healthy-percent" must be a whole number from 0 to 100; got "101".'],
    [{ image, 'maximum-percent': '50' }, 'Input "maximum-percent" must be a whole number of at least 100; got "50".'],
    [
      { image, 'minimum-healthy-percent': '100', 'maximum-percent': '100' },
      'minimum-healthy-percent 100 with maximum-percent 100 leaves ECS no room to replace a task',
    ],
    [{ image, 'timeout-minutes': '0' }, 'Input "timeout-minutes" must be a number of minutes from 0.01 to 360; got "0".'],
    [{ image, 'poll-interval-seconds': 'soon' }, 'Input "poll-interval-seconds" must be a number of seconds from 0.2 to 300; got "soon".'],
    [{ image, wait: 'maybe' }, 'Input "wait" must be true or false; got "maybe".'],
    [{ 'scale-to-zero': 'yes please' }, 'Input "scale-to-zero" must be true or false; got "yes please".'],
    [{ image, environment: '1X=2' }, 'Input "environment" must be lines of KEY=value'],
  ])('refuses %p', (inputs, message) => {
    withInputs({ ...base, ...inputs });
    expect(() => readConfig(recordingIo())).toThrow(message);
  });
});
