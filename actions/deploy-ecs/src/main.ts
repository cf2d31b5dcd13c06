import { ECRClient } from '@aws-sdk/client-ecr';
import { ECSClient } from '@aws-sdk/client-ecs';
import {
  createAwsClient,
  resolveAwsSettings,
  runAction,
  runnerIo,
  writeOutputs,
  writeSummary,
} from '@notebook-ship/action-kit';
import { deploy } from './deploy';
import { createEcrApi } from './ecr-api';
import { createEcsApi } from './ecs-api';
import { readConfig } from './inputs';
import { deployOutputs } from './outputs';
import { failureError, isFailure, renderSummary } from './report';

await runAction(async () => {
  const config = readConfig(runnerIo);
  const settings = resolveAwsSettings({ region: config.region || undefined });
  const ecs = createEcsApi(createAwsClient(ECSClient, settings, 'notebook-ship/deploy-ecs'), settings.region);
  const ecr = createEcrApi((region) => createAwsClient(ECRClient, { ...settings, region }, 'notebook-ship/deploy-ecs'));
  const outcome = await deploy(config, { ecs, ecr }, settings.region, runnerIo);
  // Written before any failure: a later step still learns the revision registered or the deployment started.
  writeOutputs(deployOutputs(outcome));
  if (outcome.kind === 'interrupted') throw outcome.error;
  await writeSummary(renderSummary(outcome.report));
  if (isFailure(outcome.report.state)) throw failureError(outcome.report);
});
