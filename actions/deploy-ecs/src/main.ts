import * as core from '@actions/core';
import { ECSClient } from '@aws-sdk/client-ecs';
import { createAwsClient, resolveAwsSettings, runAction, writeSummary } from '@notebook-ship/action-kit';
import { deploy } from './deploy';
import { createEcsApi } from './ecs-api';
import { readConfig } from './inputs';
import { failureError, isFailure, renderSummary } from './report';

await runAction(async () => {
  const config = readConfig();
  const settings = resolveAwsSettings({ region: config.region || undefined });
  const ecs = createEcsApi(createAwsClient(ECSClient, settings, 'notebook-ship/deploy-ecs'), settings.region);
  const report = await deploy(config, ecs, settings.region, {
    info: (line) => core.info(line),
    warning: (line) => core.warning(line),
    output: (name, value) => core.setOutput(name, value),
  });
  await writeSummary(renderSummary(report));
  if (isFailure(report.state)) throw failureError(report);
});
