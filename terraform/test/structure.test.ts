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
    expect(config.resources.size).toBeGreaterThan(40);
    // Every local module a call names is loaded, with the resources it declares.
    expect([...config.localModules.keys()]).toEqual(['./modules/private-bucket']);
    expect(config.localModules.get('./modules/private-bucket')?.resources.size).toBe(7);
  });
});
