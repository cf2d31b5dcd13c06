import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { ConfigurationError, runAction, runnerIo, writeOutputs, writeSummary, type Io } from '@notebook-ship/action-kit';
import { readConfig } from './inputs';
import { buildReport, failedChecks, failureMessage, renderSummary, reportOutputs, writeReport } from './report';
import { smokeTest } from './smoke';

// Only the auth check warns (an open service); its annotation says so.
const io: Io = { ...runnerIo, warning: (line) => core.warning(line, { title: 'Smoke test: auth' }) };

await runAction(async () => {
  const config = readConfig(io);
  if (config.addedChecks.length) io.info(`Also running ${config.addedChecks.join(', ')}: the requested checks need them.`);
  // A cancelled run stops the checks but still deletes what it created before the runner kills the step.
  const cancel = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => cancel.abort());

  const startedAt = new Date();
  const outcome = await smokeTest(config, cancel.signal, io, process.env);
  const report = buildReport(config, outcome, startedAt, new Date());
  const path = await writeReport(report, process.env.RUNNER_TEMP || tmpdir(), process.env.GITHUB_ACTION);
  writeOutputs(reportOutputs(report, path));
  for (const check of failedChecks(report)) core.error(check.detail, { title: `Smoke test: ${check.name} failed` });
  await writeSummary(renderSummary(report));
  if (!report.passed) throw new ConfigurationError(failureMessage(report, path));
});
