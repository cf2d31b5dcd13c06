import { describe, expect, it } from '@jest/globals';
import { checks } from './checks';
import { loadConfig } from './config';

const config = await loadConfig();

describe('terraform/ structure', () => {
  it.each(Object.keys(checks))('%s', (name) => {
    checks[name]?.(config);
  });

  it('parses every file into declared blocks', () => {
    expect(config.files.size).toBeGreaterThanOrEqual(12);
    expect(config.resources.size).toBeGreaterThan(50);
  });
});
