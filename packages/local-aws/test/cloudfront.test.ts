import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  CloudFrontClient,
  CreateDistributionWithTagsCommand,
  CreateFunctionCommand,
  CreateInvalidationCommand,
  DeleteDistributionCommand,
  DeleteFunctionCommand,
  DescribeFunctionCommand,
  GetCachePolicyCommand,
  GetDistributionCommand,
  GetDistributionConfigCommand,
  GetFunctionCommand,
  GetInvalidationCommand,
  GetOriginRequestPolicyCommand,
  GetResponseHeadersPolicyCommand,
  ListCachePoliciesCommand,
  ListDistributionsCommand,
  ListFunctionsCommand,
  ListInvalidationsCommand,
  ListTagsForResourceCommand,
  PublishFunctionCommand,
  UpdateDistributionCommand,
  UpdateFunctionCommand,
  type DistributionConfig,
} from '@aws-sdk/client-cloudfront';
import { cloudFrontDistributions } from '../src/cloudfront-distributions';
import { cloudFrontFunctions } from '../src/cloudfront-functions';
import { managedPolicyRoutes } from '../src/cloudfront-managed-policies';
import { startGateway, type Gateway } from '../src/gateway';

// The CloudFront operations the gateway serves, seen through the real SDK (REST-XML as AWS speaks it). Nothing is
// forwarded here: the fallback is a closed port.

const ACCOUNT = '123456789012';
let gateway: Gateway;
let client: CloudFrontClient;
const functions = cloudFrontFunctions({ accountId: ACCOUNT, endpoint: () => gateway.endpoint });

beforeAll(async () => {
  gateway = await startGateway({
    routes: [...functions.routes, ...managedPolicyRoutes, ...cloudFrontDistributions({ accountId: ACCOUNT, endpoint: () => gateway.endpoint })],
    fallback: 'http://127.0.0.1:9',
  });
  client = new CloudFrontClient({ region: 'us-east-1', endpoint: gateway.endpoint, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
});
afterAll(() => gateway.stop());

const code = (text: string) => new TextEncoder().encode(text);
const config = { Comment: 'fallback', Runtime: 'cloudfront-js-2.0' as const };

describe('CloudFront Functions', () => {
  it('keeps DEVELOPMENT and LIVE apart, each with its own ETag, and every change needs the current one', async () => {
    const created = await client.send(new CreateFunctionCommand({ Name: 'spa', FunctionConfig: config, FunctionCode: code('v1') }));
    expect(created.FunctionSummary).toMatchObject({
      Name: 'spa',
      Status: 'UNPUBLISHED',
      FunctionMetadata: { FunctionARN: `arn:aws:cloudfront::${ACCOUNT}:function/spa`, Stage: 'DEVELOPMENT' },
    });
    await expect(client.send(new DescribeFunctionCommand({ Name: 'spa', Stage: 'LIVE' }))).rejects.toMatchObject({ name: 'NoSuchFunctionExists' });
    await expect(client.send(new PublishFunctionCommand({ Name: 'spa', IfMatch: 'ESTALE' }))).rejects.toMatchObject({ name: 'PreconditionFailed' });

    const published = await client.send(new PublishFunctionCommand({ Name: 'spa', IfMatch: created.ETag }));
    expect(published.FunctionSummary).toMatchObject({ Status: 'UNASSOCIATED', FunctionMetadata: { Stage: 'LIVE' } });

    const updated = await client.send(new UpdateFunctionCommand({ Name: 'spa', IfMatch: created.ETag, FunctionConfig: config, FunctionCode: code('v2') }));
    expect(updated.ETag).toMatch(/^E[A-Z0-9]+$/);
    expect(updated.ETag).not.toBe(created.ETag);
    const live = await client.send(new GetFunctionCommand({ Name: 'spa', Stage: 'LIVE' }));
    expect(new TextDecoder().decode(live.FunctionCode)).toBe('v1');
    expect(functions.code('spa')).toBe('v1');
    expect(functions.code(`arn:aws:cloudfront::${ACCOUNT}:function/spa`, 'DEVELOPMENT')).toBe('v2');
    const development = await client.send(new DescribeFunctionCommand({ Name: 'spa' }));
    expect(development).toMatchObject({ ETag: updated.ETag, FunctionSummary: { Status: 'UNPUBLISHED' } });

    const listed = await client.send(new ListFunctionsCommand({ Stage: 'LIVE' }));
    expect(listed.FunctionList?.Items?.map((item) => item.Name)).toEqual(['spa']);
    await expect(client.send(new DeleteFunctionCommand({ Name: 'spa', IfMatch: created.ETag }))).rejects.toMatchObject({ name: 'PreconditionFailed' });
    await client.send(new DeleteFunctionCommand({ Name: 'spa', IfMatch: updated.ETag }));
    await expect(client.send(new GetFunctionCommand({ Name: 'spa' }))).rejects.toMatchObject({ name: 'NoSuchFunctionExists' });
  });

  it('refuses a second function of the same name and an unknown runtime', async () => {
    await client.send(new CreateFunctionCommand({ Name: 'twice', FunctionConfig: config, FunctionCode: code('x') }));
    await expect(client.send(new CreateFunctionCommand({ Name: 'twice', FunctionConfig: config, FunctionCode: code('x') }))).rejects.toMatchObject({
      name: 'FunctionAlreadyExists',
    });
    await expect(
      client.send(new CreateFunctionCommand({ Name: 'old', FunctionConfig: { Comment: '', Runtime: 'nodejs' as never }, FunctionCode: code('x') })),
    ).rejects.toMatchObject({ name: 'InvalidArgument' });
  });
});

describe('managed CloudFront policies', () => {
  it('lists the managed cache policies by name and gets their settings by id', async () => {
    const { CachePolicyList } = await client.send(new ListCachePoliciesCommand({ Type: 'managed' }));
    const byName = Object.fromEntries((CachePolicyList?.Items ?? []).map((item) => [item.CachePolicy?.CachePolicyConfig?.Name, item.CachePolicy?.Id]));
    expect(byName).toMatchObject({
      'Managed-CachingOptimized': '658327ea-f89d-4fab-a63d-7e88639e58f6',
      'Managed-CachingDisabled': '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
    });
    const { CachePolicy } = await client.send(new GetCachePolicyCommand({ Id: '658327ea-f89d-4fab-a63d-7e88639e58f6' }));
    expect(CachePolicy?.CachePolicyConfig).toMatchObject({
      MinTTL: 1,
      DefaultTTL: 86400,
      MaxTTL: 31536000,
      ParametersInCacheKeyAndForwardedToOrigin: { EnableAcceptEncodingGzip: true, EnableAcceptEncodingBrotli: true },
    });
    expect((await client.send(new ListCachePoliciesCommand({ Type: 'custom' }))).CachePolicyList?.Quantity).toBe(0);
    await expect(client.send(new GetCachePolicyCommand({ Id: 'nope' }))).rejects.toMatchObject({ name: 'NoSuchCachePolicy' });
  });

  it('has the managed origin request and response headers policies', async () => {
    const origin = await client.send(new GetOriginRequestPolicyCommand({ Id: 'b689b0a8-53d0-40ab-baf2-68738e2966ac' }));
    expect(origin.OriginRequestPolicy?.OriginRequestPolicyConfig).toMatchObject({
      Name: 'Managed-AllViewerExceptHostHeader',
      HeadersConfig: { HeaderBehavior: 'allExcept', Headers: { Quantity: 1, Items: ['host'] } },
      CookiesConfig: { CookieBehavior: 'all' },
    });
    const headers = await client.send(new GetResponseHeadersPolicyCommand({ Id: '67f7725c-6f97-4210-82d7-5512b31e9d03' }));
    expect(headers.ResponseHeadersPolicy?.ResponseHeadersPolicyConfig?.SecurityHeadersConfig).toMatchObject({
      FrameOptions: { FrameOption: 'SAMEORIGIN', Override: false },
      StrictTransportSecurity: { AccessControlMaxAgeSec: 31536000 },
    });
  });
});

describe('CloudFront distributions', () => {
  const distributionConfig = (enabled: boolean): DistributionConfig => ({
    CallerReference: 'ref-1',
    Comment: 'app',
    Enabled: enabled,
    Origins: {
      Quantity: 1,
      Items: [{ Id: 'spa', DomainName: 'spa.s3.eu-west-2.amazonaws.com', OriginAccessControlId: 'E1', S3OriginConfig: { OriginAccessIdentity: '' } }],
    },
    DefaultCacheBehavior: {
      TargetOriginId: 'spa',
      ViewerProtocolPolicy: 'redirect-to-https',
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
      FunctionAssociations: {
        Quantity: 1,
        Items: [{ EventType: 'viewer-request', FunctionARN: `arn:aws:cloudfront::${ACCOUNT}:function/spa` }],
      },
    },
  });

  it('describes a configuration as it was sent, with the defaults CloudFront adds, and keeps its tags', async () => {
    const created = await client.send(
      new CreateDistributionWithTagsCommand({
        DistributionConfigWithTags: { DistributionConfig: distributionConfig(true), Tags: { Items: [{ Key: 'Project', Value: 'notebook-ship' }] } },
      }),
    );
    const id = created.Distribution?.Id as string;
    expect(created.Distribution).toMatchObject({ Status: 'Deployed', ARN: `arn:aws:cloudfront::${ACCOUNT}:distribution/${id}` });
    const { DistributionConfig: described, ETag } = await client.send(new GetDistributionConfigCommand({ Id: id }));
    expect(described?.DefaultCacheBehavior?.FunctionAssociations?.Items).toEqual(distributionConfig(true).DefaultCacheBehavior?.FunctionAssociations?.Items);
    expect(described?.DefaultCacheBehavior?.ForwardedValues).toBeUndefined();
    expect(described?.Origins?.Items?.[0]).toMatchObject({ S3OriginConfig: { OriginAccessIdentity: '' }, OriginShield: { Enabled: false } });
    expect(described?.OriginGroups).toEqual({ Quantity: 0 });
    const { Tags } = await client.send(new ListTagsForResourceCommand({ Resource: created.Distribution?.ARN }));
    expect(Tags?.Items).toEqual([{ Key: 'Project', Value: 'notebook-ship' }]);

    const invalidation = await client.send(new CreateInvalidationCommand({ DistributionId: id, InvalidationBatch: { CallerReference: 'i1', Paths: { Quantity: 1, Items: ['/*'] } } }));
    const read = await client.send(new GetInvalidationCommand({ DistributionId: id, Id: invalidation.Invalidation?.Id }));
    expect(read.Invalidation).toMatchObject({ Status: 'Completed', InvalidationBatch: { Paths: { Items: ['/*'] } } });
    const newest = await client.send(new CreateInvalidationCommand({ DistributionId: id, InvalidationBatch: { CallerReference: 'i2', Paths: { Quantity: 1, Items: ['/index.html'] } } }));
    // Both lists page by Marker and say whether they were cut; invalidations come newest first.
    const firstPage = await client.send(new ListInvalidationsCommand({ DistributionId: id, MaxItems: 1 }));
    expect(firstPage.InvalidationList).toMatchObject({ Quantity: 1, IsTruncated: true, NextMarker: '1', Items: [{ Id: newest.Invalidation?.Id, Status: 'Completed' }] });
    const secondPage = await client.send(new ListInvalidationsCommand({ DistributionId: id, Marker: firstPage.InvalidationList?.NextMarker }));
    expect(secondPage.InvalidationList).toMatchObject({ Quantity: 1, IsTruncated: false, Items: [{ Id: invalidation.Invalidation?.Id }] });
    const { DistributionList } = await client.send(new ListDistributionsCommand({}));
    expect(DistributionList).toMatchObject({ Marker: '', IsTruncated: false, Quantity: 1, Items: [{ Id: id }] });

    await expect(client.send(new DeleteDistributionCommand({ Id: id, IfMatch: ETag }))).rejects.toMatchObject({ name: 'DistributionNotDisabled' });
    await expect(client.send(new UpdateDistributionCommand({ Id: id, IfMatch: 'ESTALE', DistributionConfig: distributionConfig(false) }))).rejects.toMatchObject({
      name: 'PreconditionFailed',
    });
    const disabled = await client.send(new UpdateDistributionCommand({ Id: id, IfMatch: ETag, DistributionConfig: distributionConfig(false) }));
    await client.send(new DeleteDistributionCommand({ Id: id, IfMatch: disabled.ETag }));
    await expect(client.send(new GetDistributionCommand({ Id: id }))).rejects.toMatchObject({ name: 'NoSuchDistribution' });
  });
});
