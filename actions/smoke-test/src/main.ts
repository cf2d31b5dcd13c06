import * as core from '@actions/core';
import { tmpdir } from 'node:os';
import { ConfigurationError, runAction, writeSummary } from '@notebook-ship/action-kit';
import { readConfig } from './inputs';
import { buildReport, failedChecks, failureMessage, renderSummary, writeReport } from './report';
import { smokeTest } from './smoke';

await runAction(async () => {
  const config = readConfig();
  if (config.addedChecks.length) core.info(`Also running ${config.addedChecks.join(', ')}: the requested checks need them.`);
  // A cancelled run stops the checks but still deletes what it created before the runner kills the step.
  const cancel = new AbortController();
  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => cancel.abort());

  const startedAt = new Date();
  const outcome = await smokeTest(config, cancel.signal, {
    log: (line) => core.info(line),
    warning: (line) => core.warning(line, { title: 'Smoke test: auth' }),
    debug: (line) => core.debug(line),
    env: process.env,
  });
  const report = buildReport(config, outcome, startedAt, new Date());
  const path = await writeReport(report, process.env.RUNNER_TEMP || tmpdir(), process.env.GITHUB_ACTION);
  const failed = failedChecks(report);
  core.setOutput('passed', String(report.passed));
  core.setOutput('report', path);
  core.setOutput('failed-checks', failed.map((check) => check.name).join(','));
  for (const check of failed) core.error(check.detail, { title: `Smoke test: ${check.name} failed` });
  await writeSummary(renderSummary(report));
  if (!report.passed) throw new ConfigurationError(failureMessage(report, path));
});
