import { describe, expect, it } from '@jest/globals';
import type { TaskDefinitionInput } from '../src/task-definition';
import { refuseVersionWithoutImage } from '../src/version-guard';

const definition = (image: string, version?: string): TaskDefinitionInput => ({
  family: 'notebook',
  containerDefinitions: [
    { name: 'notebook', image, environment: version ? [{ name: 'APP_VERSION', value: version }] : [] },
    { name: 'log-router', image: 'fluent-bit:stable' },
  ],
});

describe('refuseVersionWithoutImage', () => {
  it('refuses a new APP_VERSION on the image the service runs now', () => {
    expect(() => refuseVersionWithoutImage(definition('notebook:1', '1'), definition('notebook:1', '2'), 'notebook')).toThrow(
      'Container "notebook" would get APP_VERSION 2 (it runs 1) while keeping the image it runs now, notebook:1: the old ' +
        'code would run under the new version. Set "image" to the image built for that version, or set ' +
        'allow-version-without-image: true if only the label is meant to change.',
    );
    expect(() => refuseVersionWithoutImage(definition('notebook:1'), definition('notebook:1', '2'), 'notebook')).toThrow(
      'would get APP_VERSION 2 (it runs (unset))',
    );
  });

  it('lets a new image through, with or without a new version, and an unchanged version', () => {
    expect(() => refuseVersionWithoutImage(definition('notebook:1', '1'), definition('notebook:2', '2'), 'notebook')).not.toThrow();
    expect(() => refuseVersionWithoutImage(definition('notebook:1', '1'), definition('notebook:2', '1'), 'notebook')).not.toThrow();
    expect(() => refuseVersionWithoutImage(definition('notebook:1', '1'), definition('notebook:1', '1'), 'notebook')).not.toThrow();
  });

  it('has nothing to compare when the running revision has no such container', () => {
    expect(() => refuseVersionWithoutImage(definition('notebook:1', '1'), definition('notebook:1', '2'), 'other')).not.toThrow();
  });
});
