import { ECRClient } from '@aws-sdk/client-ecr';
import * as core from '@actions/core';
import {
  createAwsClient,
  resolveAwsSettings,
  runAction,
  runnerIo,
  writeOutputs,
  writeSummary,
} from '@notebook-ship/action-kit';
import { tmpdir } from 'node:os';
import { buildPushImage } from './build-push';
import { createDockerCli } from './docker';
import { createEcrApi } from './ecr-api';
import { readConfig } from './inputs';
import { logOut, rememberLogin } from './post';
import { actionOutputs, summaryMarkdown } from './report';

// One bundle serves `main` and `post`: the runner hands the post step the state main saved.
const POST_FLAG = 'isPost';

if (core.getState(POST_FLAG)) {
  await runAction(() => logOut(createDockerCli()));
} else {
  core.saveState(POST_FLAG, 'true');
  await runAction(async () => {
    const config = readConfig();
    const settings = resolveAwsSettings({ region: config.region });
    const ecr = createEcrApi(createAwsClient(ECRClient, settings, 'notebook-ship/build-push-image'), settings.region);
    const outcome = await buildPushImage(config, {
      ecr,
      docker: createDockerCli(),
      io: runnerIo,
      rememberLogin,
      tempRoot: process.env.RUNNER_TEMP || tmpdir(),
    });
    writeOutputs(actionOutputs(outcome));
    await writeSummary(summaryMarkdown(outcome));
  });
}
