import { describe, expect, it } from '@jest/globals';
import { findMotoServer, startMoto } from '../src/index';
import { alive } from './alive';

describe('startMoto', () => {
  it('serves on a free loopback port, forgets on reset, and is gone after stop', async () => {
    const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
    try {
      expect(moto.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      expect(moto.env).toMatchObject({ AWS_ENDPOINT_URL: moto.endpoint, AWS_REGION: 'us-east-1' });
      const created = await fetch(`${moto.endpoint}/test-bucket`, { method: 'PUT' });
      expect(created.status).toBe(200);
      await moto.reset();
      const listing = await (await fetch(`${moto.endpoint}/`)).text();
      expect(listing).not.toContain('test-bucket');
      expect(alive(moto.pid)).toBe(true);
    } finally {
      await moto.stop();
    }
    expect(alive(moto.pid)).toBe(false);
  });

  it('runs two emulators side by side', async () => {
    const [a, b] = await Promise.all([startMoto(), startMoto()]);
    try {
      expect(a.endpoint).not.toBe(b.endpoint);
    } finally {
      await Promise.all([a.stop(), b.stop()]);
    }
  });

  it('says how to install moto when it cannot be found', () => {
    expect(() => findMotoServer({ PATH: '/nonexistent', MOTO_SERVER: '/nonexistent/moto_server' }, '/nonexistent/venv/bin')).toThrow(
      /moto_server was not found .*pip install 'moto\[server\]'/,
    );
  });
});
