import { describe, expect, it } from '@jest/globals';
import { deploymentConfigurationFor, expectsDowntime } from '../src/deploy';

describe('deploymentConfigurationFor', () => {
  it('replaces the percentages and the circuit breaker, and keeps the service’s other settings', () => {
    const current = {
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: false, rollback: false },
      alarms: { alarmNames: ['notebook-5xx'], enable: true, rollback: true },
    };
    expect(deploymentConfigurationFor({ minimumHealthyPercent: 0, maximumPercent: 100, circuitBreaker: true }, current)).toEqual({
      maximumPercent: 100,
      minimumHealthyPercent: 0,
      deploymentCircuitBreaker: { enable: true, rollback: true },
      alarms: { alarmNames: ['notebook-5xx'], enable: true, rollback: true },
    });
    expect(deploymentConfigurationFor({ minimumHealthyPercent: 50, maximumPercent: 200, circuitBreaker: false }, undefined)).toEqual({
      maximumPercent: 200,
      minimumHealthyPercent: 50,
      deploymentCircuitBreaker: { enable: false, rollback: false },
    });
  });
});

describe('expectsDowntime', () => {
  it('is true when the minimum healthy task count rounds to zero', () => {
    expect(expectsDowntime(1, 0)).toBe(true);
    expect(expectsDowntime(1, 50)).toBe(false);
    expect(expectsDowntime(3, 30)).toBe(false);
    expect(expectsDowntime(0, 0)).toBe(false);
  });
});
