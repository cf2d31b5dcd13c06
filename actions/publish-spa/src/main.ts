import * as core from '@actions/core';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import {
  createAwsClient,
  resolveAwsSettings,
  runAction,
  runnerIo,
  writeOutputs,
  writeSummary,
} from '@notebook-ship/action-kit';
import { cloudFrontCdn } from './cloudfront-api';
import { readConfig } from './inputs';
import { releaseOutputs } from './outputs';
import { publish } from './publish';
import { rollback } from './rollback';
import { s3SiteBucket } from './s3-api';
import type { Services } from './steps';
import { renderSummary } from './summary';

await runAction(async () => {
  const config = readConfig();
  const aws = resolveAwsSettings({ region: config.awsRegion || undefined });
  // Path-style vs virtual-hosted addressing is left to the SDK: it picks path-style by itself for IP endpoints
  // (the emulator) and virtual-hosted for AWS, which is what S3 wants.
  const services: Services = {
    bucket: s3SiteBucket(createAwsClient(S3Client, aws, 'notebook-ship/publish-spa'), config.bucket),
    cdn: config.distributionId ? cloudFrontCdn(createAwsClient(CloudFrontClient, aws, 'notebook-ship/publish-spa')) : undefined,
    env: process.env,
    io: runnerIo,
    group: (name, run) => core.group(name, run),
  };
  const result = config.rollbackTo ? await rollback(config, services) : await publish(config, services);
  writeOutputs(releaseOutputs(result));
  await writeSummary(renderSummary(result, config.bucket, config.prefix));
});
