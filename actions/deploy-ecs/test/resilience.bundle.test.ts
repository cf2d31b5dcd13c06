import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { runActionBundle } from '@notebook-ship/action-kit/testing';
import { startFakeEcs, type FakeEcs } from '@notebook-ship/local-aws';
import { bundle, digest, logLines, notebookDefinition, seedNotebook } from './helpers';

// The committed bundle against the scripted ECS fake, for what real ECS does to a deploy besides rolling it out:
// throttling that outlasts the SDK's retries, tasks that crash while the rollout goes on, a step run twice.

let fake: FakeEcs;
beforeEach(async () => {
  fake = await startFakeEcs();
  seedNotebook(fake);
});
afterEach(() => fake.stop());

const run = (inputs: Record<string, string>, env: Record<string, string> = fake.env) =>
  runActionBundle(bundle, {
    // The fake plays ECS alone; the ECR check before UpdateService is asked for real in moto.bundle.test.ts.
    inputs: { cluster: 'notebook', service: 'notebook', 'poll-interval-seconds': '0.2', 'verify-image': 'false', ...inputs },
    env,
  });

/**
 * The fake behind a loopback proxy that throttles every DescribeServices once UpdateService went through: an
 * account whose ECS rate limit another deploy (or a dashboard) eats up while this rollout is followed.
 */
async function throttledAfterUpdate(): Promise<{ env: Record<string, string>; server: Server }> {
  let updated = false;
  const server = createServer(async (request, response) => {
    const chunks: Buffer[] = [];
    for await (const chunk of request) chunks.push(chunk as Buffer);
    const target = String(request.headers['x-amz-target'] ?? '');
    if (updated && target.endsWith('.DescribeServices')) {
      response.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      response.end(JSON.stringify({ __type: 'ThrottlingException', message: 'Rate exceeded' }));
      return;
    }
    if (target.endsWith('.UpdateService')) updated = true;
    const forwarded = await fetch(fake.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target },
      body: Buffer.concat(chunks),
    });
    response.writeHead(forwarded.status, { 'content-type': 'application/x-amz-json-1.1' });
    response.end(await forwarded.text());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // One attempt per call: the SDK's retries would only make the test slower, the outcome is the same.
  return { server, env: { ...fake.env, AWS_ENDPOINT_URL_ECS: endpoint, AWS_MAX_ATTEMPTS: '1' } };
}

describe('following a rollout through errors', () => {
  it('rides out sustained throttling until the deadline and reports TIMED_OUT with the last state seen', async () => {
    fake.scriptRollouts({ outcome: 'NEVER' });
    const { env, server } = await throttledAfterUpdate();
    try {
      const result = await run({ image: digest('b'), 'timeout-minutes': '0.03', 'poll-interval-seconds': '0.3' }, env);

      expect(result.exitCode).toBe(1);
      expect(result.outputs['rollout-state']).toBe('TIMED_OUT');
      expect(result.outputs['deployment-id']).toBe(fake.rollouts()[0]?.deploymentId);
      expect(result.errors).toHaveLength(1);
      expect(result.errors[0]).toMatch(/^Timed out after 2s waiting for deployment ecs-svc\/\d+ to complete \(\d+ checks\)\. /);
      expect(result.errors[0]).toMatch(
        / The last \d+ looks \(for [\d.]+m?s\) failed: ThrottlingException: Rate exceeded\. The rollout goes on in ECS: /,
      );
      expect(logLines(result.stdout)).toContain(
        'Could not look at the rollout (ThrottlingException: Rate exceeded); following it on until the deadline.',
      );
      expect(result.summary).toContain('## ⏱️ ECS deploy of notebook/notebook: TIMED_OUT');
      expect(result.summary).toContain('The rollout goes on in ECS');
    } finally {
      server.close();
    }
  });

  it('prints why each task stopped while the rollout is still in progress', async () => {
    fake.scriptRollouts({
      outcome: 'NEVER',
      stoppedTasks: [
        {
          stopCode: 'EssentialContainerExited',
          stoppedReason: 'Essential container in task exited',
          containers: [{ name: 'notebook', exitCode: 3, reason: 'ImportError' }],
        },
      ],
    });
    const result = await run({ image: digest('c'), 'timeout-minutes': '0.02', 'poll-interval-seconds': '0.4' });

    expect(result.outputs['rollout-state']).toBe('TIMED_OUT');
    const log = logLines(result.stdout);
    const streamed = log.findIndex((line) =>
      /^Stopped task [0-9a-f]{32}: EssentialContainerExited: .*notebook exit code 3 \(ImportError\)$/.test(line),
    );
    expect(streamed).toBeGreaterThan(0);
    // Shown at the first look, long before the timeout's diagnosis.
    expect(streamed).toBeLessThan(log.findIndex((line) => line.startsWith('Deployment ecs-svc/')));
    expect(log.filter((line) => line.startsWith('Stopped task '))).toHaveLength(1);
  });
});

describe('refusing what would deploy the wrong thing', () => {
  it.each([
    [`${digest('a').replace('/notebook', '/Notebook')}`, 'repository names are lower case'],
    [`${digest('a').split('@')[0]}:`, 'the tag after ":" is empty'],
    [`https://${digest('a')}`, 'an image reference has no scheme'],
    [digest('a').replace('/notebook', '//notebook'), 'it has an empty path component'],
  ])('refuses the image %s before calling ECS', async (image, problem) => {
    const result = await run({ image });
    expect(result.exitCode).toBe(1);
    expect(result.errors).toEqual([expect.stringContaining(`Input "image" is not a valid image reference (${problem}`)]);
    expect(fake.calls()).toEqual({});
  });

  it('refuses a new APP_VERSION without a new image, unless allow-version-without-image says so', async () => {
    const running = (notebookDefinition().taskDefinition.containerDefinitions as Array<{ image: string }>)[0]?.image as string;
    const refused = await run({ environment: 'APP_VERSION=2.0.0' });
    expect(refused.errors).toHaveLength(1);
    expect(refused.errors[0]).toMatch(/^Container "notebook" would get APP_VERSION 2\.0\.0 \(it runs [^)]+\) while keeping/);
    expect(refused.errors[0]).toContain(`the image it runs now, ${running}: the old code would run under the new version.`);
    expect(fake.calls().RegisterTaskDefinition).toBeUndefined();
    expect(fake.calls().UpdateService).toBeUndefined();

    const allowed = await run({ environment: 'APP_VERSION=2.0.0', 'allow-version-without-image': 'true' });
    expect(allowed.errors).toEqual([]);
    expect(allowed.outputs['rollout-state']).toBe('COMPLETED');
  });
});

describe('a deploy run again', () => {
  it('reuses the identical revision its first attempt registered moments ago', async () => {
    fake.deny('UpdateService');
    const first = await run({ image: digest('d'), environment: 'APP_VERSION=4.0.0' });
    expect(first.exitCode).toBe(1);
    expect(first.outputs['task-definition-arn']).toMatch(/notebook:2$/);

    const again = await run({ image: digest('d'), environment: 'APP_VERSION=4.0.0' });
    expect(again.outputs['task-definition-arn']).toMatch(/notebook:2$/);
    expect(fake.calls().RegisterTaskDefinition).toBe(1);
    expect(logLines(again.stdout)).toContainEqual(
      expect.stringMatching(/^Reusing notebook:2: it is exactly this definition, registered \S+ ago \(by an earlier attempt/),
    );

    const other = await run({ image: digest('e'), environment: 'APP_VERSION=5.0.0' });
    expect(other.outputs['task-definition-arn']).toMatch(/notebook:3$/);
  });
});
