import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, expect, test } from '@jest/globals';
import {
  CloudWatchLogsClient,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { useMoto } from '@notebook-ship/local-aws/testing';
import { mirrorAuditLog } from '../src/audit-mirror';

const moto = useMoto();
const dir = mkdtempSync(join(tmpdir(), 'audit-mirror-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

test('copies each audit event the app sends to CloudWatch Logs into the file once, oldest first, 0600', async () => {
  const logs = new CloudWatchLogsClient({ region: 'us-east-1', endpoint: moto.current.env.AWS_ENDPOINT_URL, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
  const group = '/ecs/notebook/audit';
  await logs.send(new CreateLogGroupCommand({ logGroupName: group }));
  await logs.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: 'server' }));
  const put = (messages: string[], start: number) =>
    logs.send(
      new PutLogEventsCommand({
        logGroupName: group,
        logStreamName: 'server',
        logEvents: messages.map((message, index) => ({ timestamp: start + index, message })),
      }),
    );
  const file = join(dir, 'audit.log');
  const mirror = mirrorAuditLog({ logs, group, file, intervalMs: 60_000 });
  const now = Date.now();
  await put(['{"action":"sign_in"}', '{"action":"create_notebook"}'], now);
  await mirror.sync();
  await mirror.sync(); // nothing new: nothing written twice
  await put(['{"action":"run_cell"}'], now + 10);
  await mirror.stop();
  expect(readFileSync(file, 'utf8')).toBe('{"action":"sign_in"}\n{"action":"create_notebook"}\n{"action":"run_cell"}\n');
  expect(statSync(file).mode & 0o777).toBe(0o600);
});
