// The edge playing a distribution as the emulated CloudFront API describes it (what Terraform created): its ordered
// cache behaviours and methods, the default behaviour's viewer-request function with the code the API serves, S3
// origins read from the emulated bucket, and custom origins (the ALB) proxied to where the caller runs them.
import {
  GetDistributionConfigCommand,
  GetFunctionCommand,
  type CacheBehavior,
  type CloudFrontClient,
  type DistributionConfig,
  type Origin,
} from '@aws-sdk/client-cloudfront';
import type { S3Client } from '@aws-sdk/client-s3';
import { bucketOrigin } from './bucket-origin';
import { startEdge, type Edge, type EdgeBehaviour, type SiteOrigin, type ViewerRequest } from './edge';

export interface DistributionEdgeOptions {
  cloudFront: CloudFrontClient;
  s3: S3Client;
  distributionId: string;
  /** Where a custom origin (by its DomainName) answers here, e.g. the app task standing in for the ALB. */
  backendUrl: (origin: Origin) => string;
  port?: number;
  host?: string;
}

/** `<bucket>.s3.<region>.amazonaws.com` or `<bucket>.s3.amazonaws.com`, as aws_s3_bucket's domain names are. */
export function bucketOfDomain(domain: string): string {
  const match = /^(.+)\.s3(?:[.-][a-z0-9-]+)?\.amazonaws\.com$/.exec(domain);
  if (!match) throw new Error(`the S3 origin ${domain} is not a bucket domain name`);
  return match[1] as string;
}

/** A cloudfront-js-2.0 function's code defines a global `handler`. */
export function compileFunction(code: string): ViewerRequest {
  return new Function(`${code}\nreturn handler;`)() as ViewerRequest;
}

async function viewerRequestOf(cloudFront: CloudFrontClient, behaviour: Pick<CacheBehavior, 'FunctionAssociations'>) {
  const association = behaviour.FunctionAssociations?.Items?.find((item) => item.EventType === 'viewer-request');
  if (!association?.FunctionARN) return undefined;
  const name = association.FunctionARN.split('/').pop() as string;
  const { FunctionCode } = await cloudFront.send(new GetFunctionCommand({ Name: name, Stage: 'LIVE' }));
  if (!FunctionCode) throw new Error(`the CloudFront function ${name} has no code`);
  return compileFunction(new TextDecoder().decode(FunctionCode));
}

export async function startDistributionEdge(options: DistributionEdgeOptions): Promise<Edge & { config: DistributionConfig }> {
  const { cloudFront, s3, distributionId } = options;
  const { DistributionConfig: config } = await cloudFront.send(new GetDistributionConfigCommand({ Id: distributionId }));
  if (!config?.DefaultCacheBehavior) throw new Error(`the distribution ${distributionId} has no default cache behaviour`);
  const sites: Record<string, SiteOrigin> = {};
  const backends: Record<string, { url: string; headers: Record<string, string> }> = {};
  for (const origin of config.Origins?.Items ?? []) {
    const id = origin.Id as string;
    // Anything but a custom origin is a bucket (S3OriginConfig, or Origin Access Control with an empty one).
    if (!origin.CustomOriginConfig) {
      sites[id] = bucketOrigin({ s3, bucket: bucketOfDomain(origin.DomainName as string) });
    } else {
      const headers = Object.fromEntries((origin.CustomHeaders?.Items ?? []).map((header) => [header.HeaderName as string, header.HeaderValue as string]));
      backends[id] = { url: options.backendUrl(origin), headers };
    }
  }
  const defaultBehaviour: EdgeBehaviour = {
    origin: config.DefaultCacheBehavior.TargetOriginId as string,
    allowedMethods: config.DefaultCacheBehavior.AllowedMethods?.Items ?? ['GET', 'HEAD'],
    viewerRequest: await viewerRequestOf(cloudFront, config.DefaultCacheBehavior),
  };
  const behaviours: EdgeBehaviour[] = [];
  for (const behaviour of config.CacheBehaviors?.Items ?? []) {
    behaviours.push({
      pathPattern: behaviour.PathPattern as string,
      origin: behaviour.TargetOriginId as string,
      allowedMethods: behaviour.AllowedMethods?.Items ?? ['GET', 'HEAD'],
      viewerRequest: await viewerRequestOf(cloudFront, behaviour),
    });
  }
  const edge = await startEdge({ behaviours, defaultBehaviour, sites, backends, port: options.port, host: options.host });
  return { ...edge, config };
}
