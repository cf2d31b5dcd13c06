// `npm start` is plain node: it runs the kit's TypeScript testing modules transpiled, the very code the tests run.
import { describe, expect, it } from '@jest/globals';
import { loadKit } from '../rehearsal/kit.mjs';

describe('the kit, loaded for plain node', () => {
  it('gives the runner harness, the moto fixture and the ECS fake, working', async () => {
    const kit = await loadKit();
    expect(kit.parseWorkflowCommands('::error title=T::broken%0Atwice\nplain\n')).toEqual([
      { command: 'error', properties: { title: 'T' }, message: 'broken\ntwice' },
    ]);
    const port = await kit.freePort();
    expect(port).toBeGreaterThan(0);
    const fake = await kit.startFakeEcs({ region: 'eu-west-1' });
    try {
      expect(fake.env.AWS_ENDPOINT_URL_ECS).toBe(fake.endpoint);
      const arn = fake.registerTaskDefinition({ family: 'app', containerDefinitions: [{ name: 'app', image: 'a:1' }] });
      expect(arn).toBe('arn:aws:ecs:eu-west-1:123456789012:task-definition/app:1');
    } finally {
      await fake.stop();
    }
    const moto = await kit.startMoto();
    try {
      expect((await fetch(`${moto.endpoint}/moto-api/data.json`)).ok).toBe(true);
    } finally {
      await moto.stop();
    }
    // Loaded once per process.
    expect(await loadKit()).toBe(kit);
  });
});
