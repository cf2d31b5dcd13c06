import {
  CreateInvalidationCommand,
  GetDistributionCommand,
  GetInvalidationCommand,
  type CloudFrontClient,
} from '@aws-sdk/client-cloudfront';
import { ConfigurationError } from '@notebook-ship/action-kit';

export interface Origin {
  id: string;
  domainName: string;
  /** '' or `/path`. */
  originPath: string;
}

export interface Distribution {
  id: string;
  domainName: string;
  aliases: string[];
  origins: Origin[];
  defaultOriginId: string;
}

/** The few CloudFront operations a publish needs. */
export interface Cdn {
  describe(distributionId: string): Promise<Distribution>;
  /** Returns the invalidation id. */
  invalidate(distributionId: string, paths: readonly string[], callerReference: string): Promise<string>;
  /** `InProgress` or `Completed` (any case: emulators differ). */
  invalidationStatus(distributionId: string, invalidationId: string): Promise<string>;
}

export function cloudFrontCdn(client: CloudFrontClient): Cdn {
  return {
    async describe(id) {
      try {
        const { Distribution: found } = await client.send(new GetDistributionCommand({ Id: id }));
        const config = found?.DistributionConfig;
        return {
          id,
          domainName: found?.DomainName ?? '',
          aliases: config?.Aliases?.Items ?? [],
          origins: (config?.Origins?.Items ?? []).map((origin) => ({
            id: origin.Id ?? '',
            domainName: origin.DomainName ?? '',
            originPath: origin.OriginPath ?? '',
          })),
          defaultOriginId: config?.DefaultCacheBehavior?.TargetOriginId ?? '',
        };
      } catch (error) {
        throw explain(error, id, 'cloudfront:GetDistribution');
      }
    },
    async invalidate(id, paths, callerReference) {
      try {
        const { Invalidation } = await client.send(
          new CreateInvalidationCommand({
            DistributionId: id,
            InvalidationBatch: { CallerReference: callerReference, Paths: { Quantity: paths.length, Items: [...paths] } },
          }),
        );
        return Invalidation?.Id ?? '';
      } catch (error) {
        throw explain(error, id, 'cloudfront:CreateInvalidation');
      }
    },
    async invalidationStatus(id, invalidationId) {
      try {
        const { Invalidation } = await client.send(new GetInvalidationCommand({ DistributionId: id, Id: invalidationId }));
        return Invalidation?.Status ?? '';
      } catch (error) {
        throw explain(error, id, 'cloudfront:GetInvalidation');
      }
    },
  };
}

function explain(error: unknown, id: string, permission: string): unknown {
  const name = (error as { name?: string }).name;
  if (name === 'NoSuchDistribution') {
    return new ConfigurationError(`CloudFront distribution "${id}" does not exist: check the "distribution-id" input.`);
  }
  if (name === 'AccessDenied') {
    return new ConfigurationError(
      `Access denied by CloudFront: the job's AWS role needs ${permission} on distribution "${id}".`,
    );
  }
  return error;
}
