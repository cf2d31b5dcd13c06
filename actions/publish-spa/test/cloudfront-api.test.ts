import { beforeEach, describe, expect, it } from '@jest/globals';
import {
  CloudFrontClient,
  CloudFrontServiceException,
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
} from '@aws-sdk/client-cloudfront';
import { mockClient } from 'aws-sdk-client-mock';
import { cloudFrontCdn } from '../src/cloudfront-api';

const cloudFront = mockClient(CloudFrontClient);
const cdn = cloudFrontCdn(new CloudFrontClient({ region: 'us-east-1' }));

beforeEach(() => {
  cloudFront.reset();
});

describe('cloudFrontCdn', () => {
  it('describes the distribution by its domain, aliases and origins', async () => {
    cloudFront.on(GetDistributionCommand, { Id: 'E1' }).resolves({
      Distribution: {
        Id: 'E1',
        ARN: 'arn',
        Status: 'Deployed',
        LastModifiedTime: new Date(),
        InProgressInvalidationBatches: 0,
        DomainName: 'd111.cloudfront.net',
        ActiveTrustedSigners: undefined,
        DistributionConfig: {
          CallerReference: 'x',
          Comment: '',
          Enabled: true,
          Aliases: { Quantity: 1, Items: ['app.example.com'] },
          Origins: {
            Quantity: 1,
            Items: [{ Id: 'site', DomainName: 'b.s3.eu-west-1.amazonaws.com', OriginPath: '/web' }],
          },
          DefaultCacheBehavior: { TargetOriginId: 'site', ViewerProtocolPolicy: 'redirect-to-https' },
        },
      },
    });
    expect(await cdn.describe('E1')).toEqual({
      id: 'E1',
      domainName: 'd111.cloudfront.net',
      aliases: ['app.example.com'],
      origins: [{ id: 'site', domainName: 'b.s3.eu-west-1.amazonaws.com', originPath: '/web' }],
      defaultOriginId: 'site',
    });
  });

  it('says a distribution id is wrong', async () => {
    cloudFront.on(GetDistributionCommand).rejects(
      new CloudFrontServiceException({ name: 'NoSuchDistribution', message: 'x', $fault: 'client', $metadata: {} }),
    );
    await expect(cdn.describe('E404')).rejects.toThrow(
      'CloudFront distribution "E404" does not exist: check the "distribution-id" input.',
    );
  });

  it('creates an invalidation with the caller reference and reads its status', async () => {
    cloudFront.on(CreateInvalidationCommand).resolves({ Invalidation: { Id: 'I1', Status: 'InProgress', CreateTime: new Date(), InvalidationBatch: undefined } });
    cloudFront.on(GetInvalidationCommand, { DistributionId: 'E1', Id: 'I1' }).resolves({
      Invalidation: { Id: 'I1', Status: 'Completed', CreateTime: new Date(), InvalidationBatch: undefined },
    });
    expect(await cdn.invalidate('E1', ['/', '/index.html'], 'publish-spa/r1/1.1/abc')).toBe('I1');
    expect(cloudFront.commandCalls(CreateInvalidationCommand)[0]?.args[0].input).toEqual({
      DistributionId: 'E1',
      InvalidationBatch: { CallerReference: 'publish-spa/r1/1.1/abc', Paths: { Quantity: 2, Items: ['/', '/index.html'] } },
    });
    expect(await cdn.invalidationStatus('E1', 'I1')).toBe('Completed');
  });
});
