import { describe, expect, it } from '@jest/globals';
import { driverOf, needsContainerBuilder } from '../src/builder';

const inspect = (driver: string) => `Name:          default
Driver:        ${driver}
Last Activity: 2025-01-01 00:00:00 +0000 UTC

Nodes:
Name:             default
Endpoint:         default
Status:           running
BuildKit version: v0.23.2
Platforms:        linux/amd64, linux/386
`;

describe('driverOf', () => {
  it('reads the builder driver', () => {
    expect(driverOf(inspect('docker'))).toBe('docker');
    expect(driverOf(inspect('docker-container'))).toBe('docker-container');
    expect(driverOf('Name: x')).toBeUndefined();
  });
});

describe('needsContainerBuilder', () => {
  it('replaces the docker driver only for a registry cache or several platforms', () => {
    expect(needsContainerBuilder(inspect('docker'), { cache: true, platforms: 1 })).toBe(true);
    expect(needsContainerBuilder(inspect('docker'), { cache: false, platforms: 2 })).toBe(true);
    expect(needsContainerBuilder(inspect('docker'), { cache: false, platforms: 1 })).toBe(false);
  });

  it('keeps any other driver the workflow set up', () => {
    expect(needsContainerBuilder(inspect('docker-container'), { cache: true, platforms: 2 })).toBe(false);
    expect(needsContainerBuilder(inspect('remote'), { cache: true, platforms: 1 })).toBe(false);
  });
});
