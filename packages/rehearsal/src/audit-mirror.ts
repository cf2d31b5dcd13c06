// The audit log as npm start keeps it: the app sends it to CloudWatch Logs (AUDIT_LOG_GROUP, as in AWS, here the local
// AWS's), and this copies each event into a local JSON-lines file as it arrives. The file is npm start's own (the app
// runs as another user, who may not write into the kept folder).
import { appendFileSync } from 'node:fs';
import { type CloudWatchLogsClient, FilterLogEventsCommand, type FilteredLogEvent } from '@aws-sdk/client-cloudwatch-logs';
import { type BucketMirror, repeating } from './state';

export function mirrorAuditLog({
  logs,
  group,
  file,
  intervalMs = 1_000,
}: {
  logs: CloudWatchLogsClient;
  group: string;
  file: string;
  intervalMs?: number;
}): BucketMirror {
  // The group is Terraform's, new in each run's empty account: every event in it is this run's.
  const copied = new Set<string>();
  const copy = async () => {
    const fresh: FilteredLogEvent[] = [];
    let nextToken: string | undefined;
    do {
      const page = await logs.send(new FilterLogEventsCommand({ logGroupName: group, nextToken }));
      for (const event of page.events ?? []) {
        if (event.eventId && !copied.has(event.eventId)) fresh.push(event);
      }
      nextToken = page.nextToken;
    } while (nextToken);
    fresh.sort((a, b) => (a.timestamp ?? 0) - (b.timestamp ?? 0));
    if (fresh.length) appendFileSync(file, fresh.map((event) => `${event.message ?? ''}\n`).join(''), { mode: 0o600 });
    for (const event of fresh) copied.add(event.eventId as string);
  };
  return repeating(copy, intervalMs);
}
