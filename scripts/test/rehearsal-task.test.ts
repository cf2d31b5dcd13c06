// The app runs as the ECS task runs the deployed revision: the image's command, the container's environment and
// its secrets.
import { describe, expect, it } from '@jest/globals';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { containerEnvironment, taskCommand } from '../rehearsal/task.mjs';

const dockerfile = readFileSync(fileURLToPath(new URL('../../backend/Dockerfile', import.meta.url)), 'utf8');

describe('the task of the rehearsal', () => {
  it("runs backend/Dockerfile's CMD, listening on loopback at the port the edge sends /api to", () => {
    expect(taskCommand(dockerfile, { host: '127.0.0.1', port: 41234 })).toEqual([
      'uvicorn',
      'app.main:app',
      '--host',
      '127.0.0.1',
      '--port',
      '41234',
      '--workers',
      '1',
    ]);
  });

  it('says what is missing from a Dockerfile it cannot run', () => {
    expect(() => taskCommand('FROM python:3.11\nCMD uvicorn app.main:app\n', { host: 'h', port: 1 })).toThrow(
      'backend/Dockerfile has no exec-form CMD ["..."] to run',
    );
    expect(() => taskCommand('CMD ["uvicorn", "app.main:app", "--port", "8000"]', { host: 'h', port: 1 })).toThrow(
      "backend/Dockerfile's CMD has no --host to point at h",
    );
  });

  it("gives the container its environment and its secrets' values, as ECS injects them", () => {
    const container = {
      environment: [
        { name: 'APP_VERSION', value: 'abc123' },
        { name: 'NOTEBOOK_BUCKET', value: 'notebooks' },
      ],
      secrets: [{ name: 'ACCESS_TOKEN', valueFrom: 'arn:aws:secretsmanager:us-east-1:1:secret:app/token' }],
    };
    expect(containerEnvironment(container, { 'arn:aws:secretsmanager:us-east-1:1:secret:app/token': 's3cret' })).toEqual({
      APP_VERSION: 'abc123',
      NOTEBOOK_BUCKET: 'notebooks',
      ACCESS_TOKEN: 's3cret',
    });
    expect(() => containerEnvironment(container, {})).toThrow(
      'the task cannot start: the secret arn:aws:secretsmanager:us-east-1:1:secret:app/token (for ACCESS_TOKEN) does not exist',
    );
  });
});
