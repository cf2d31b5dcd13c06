import * as core from '@actions/core';
import { CloudFrontClient } from '@aws-sdk/client-cloudfront';
import { S3Client } from '@aws-sdk/client-s3';
import { createAwsClient, resolveAwsSettings, runAction, writeSummary } from '@notebook-ship/action-kit';
import { cloudFrontCdn } from './cloudfront-api';
import { readConfig } from './inputs';
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
  };
  const result = config.rollbackTo ? await rollback(config, services) : await publish(config, services);

  core.setOutput('release-id', result.releaseId);
  core.setOutput('previous-release-id', result.previousReleaseId);
  core.setOutput('uploaded', result.uploaded.length);
  core.setOutput('skipped', result.skipped.length);
  core.setOutput('deleted', result.deletedPaths.length);
  core.setOutput('invalidation-id', result.invalidation?.id ?? '');
  core.setOutput('invalidated-paths', result.invalidation?.paths.join('\n') ?? '');
  core.setOutput('url', result.url);
  await writeSummary(renderSummary(result, config.bucket, config.prefix));
});
