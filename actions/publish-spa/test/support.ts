// Shared by the bundle tests: a copy of the fixture front end, the emulated bucket and distribution, a runner for
// the committed bundle, and a scripted proxy that can throttle or fail requests on their way to the emulator.
import {
  CloudFrontClient,
  CreateDistributionCommand,
  GetInvalidationCommand,
} from '@aws-sdk/client-cloudfront';
import {
  CreateBucketCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from '@aws-sdk/client-s3';
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runActionBundle, type RunResult } from '@notebook-ship/action-kit/testing';
import type { Moto } from '@notebook-ship/local-aws';

export const entry = fileURLToPath(new URL('../dist/index.js', import.meta.url));
const fixture = fileURLToPath(new URL('fixtures/spa', import.meta.url));

export interface Workspace {
  /** The checkout (GITHUB_WORKSPACE); the front end is in `frontend/`, the action's default. */
  root: string;
  /** Rewrites a file of the front end, as a commit would. */
  write(path: string, content: string): Promise<void>;
  /** A new app version: only the entry chunk and index.html change. */
  setVersion(version: number): Promise<void>;
}

const workspaces: string[] = [];

/** For afterAll: removes the workspaces the file created. */
export async function removeWorkspaces(): Promise<void> {
  await Promise.all(workspaces.splice(0).map((root) => rm(root, { recursive: true, force: true })));
}

export async function newWorkspace(): Promise<Workspace> {
  const root = await mkdtemp(join(tmpdir(), 'publish-spa-'));
  workspaces.push(root);
  await cp(fixture, join(root, 'frontend'), { recursive: true });
  const write = (path: string, content: string) => writeFile(join(root, 'frontend', path), content);
  return {
    root,
    write,
    setVersion: async (version) => {
      const app = await readFile(join(root, 'frontend', 'src', 'app.js'), 'utf8');
      await write('src/app.js', app.replace(/version:\d+/, `version:${version}`));
    },
  };
}

export interface Aws {
  s3: S3Client;
  cloudFront: CloudFrontClient;
}

/** Clients on the emulator (useMoto exported its endpoint and credentials to process.env). */
export function awsClients(): Aws {
  return { s3: new S3Client({}), cloudFront: new CloudFrontClient({}) };
}

export async function createBucket(aws: Aws, bucket: string): Promise<void> {
  await aws.s3.send(new CreateBucketCommand({ Bucket: bucket }));
}

/** A distribution whose default origin is the bucket (under `originPath`), as terraform/ creates it. */
export async function createDistribution(
  aws: Aws,
  bucket: string,
  originPath = '',
): Promise<{ id: string; domainName: string }> {
  const { Distribution } = await aws.cloudFront.send(
    new CreateDistributionCommand({
      DistributionConfig: {
        CallerReference: `${bucket}-${Date.now()}`,
        Comment: '',
        Enabled: true,
        DefaultRootObject: 'index.html',
        Origins: {
          Quantity: 1,
          Items: [
            {
              Id: 'site',
              DomainName: `${bucket}.s3.us-east-1.amazonaws.com`,
              OriginPath: originPath,
              S3OriginConfig: { OriginAccessIdentity: '' },
            },
          ],
        },
        DefaultCacheBehavior: {
          TargetOriginId: 'site',
          ViewerProtocolPolicy: 'redirect-to-https',
          CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        },
      },
    }),
  );
  return { id: Distribution?.Id as string, domainName: Distribution?.DomainName as string };
}

export async function listKeys(aws: Aws, bucket: string): Promise<string[]> {
  const { Contents = [] } = await aws.s3.send(new ListObjectsV2Command({ Bucket: bucket }));
  return Contents.map((item) => item.Key as string).sort();
}

export async function getText(aws: Aws, bucket: string, key: string): Promise<string> {
  const { Body } = await aws.s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
  return (await Body?.transformToString()) ?? '';
}

export async function headers(aws: Aws, bucket: string, key: string): Promise<{ type?: string; cache?: string }> {
  const head = await aws.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
  return { type: head.ContentType, cache: head.CacheControl };
}

export async function invalidation(aws: Aws, distributionId: string, id: string) {
  const { Invalidation } = await aws.cloudFront.send(new GetInvalidationCommand({ DistributionId: distributionId, Id: id }));
  return { paths: Invalidation?.InvalidationBatch?.Paths?.Items ?? [], callerReference: Invalidation?.InvalidationBatch?.CallerReference };
}

/** The asset paths index.html loads. */
export function referencedAssets(indexHtml: string): string[] {
  return [...indexHtml.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((match) => match[1] as string).sort();
}

/** Runs the committed bundle in `root` against the emulator (plus `env`, e.g. an S3 endpoint through a proxy). */
export function publishSpa(
  moto: Moto,
  root: string,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
): Promise<RunResult> {
  return runActionBundle(entry, {
    cwd: root,
    inputs,
    env: { ...moto.env, GITHUB_SHA: 'f'.repeat(40), GITHUB_RUN_ID: '1000', GITHUB_RUN_ATTEMPT: '1', ...env },
  });
}

export interface ProxiedRequest {
  method: string;
  /** Without the query: `/bucket/key`. */
  path: string;
  status: number;
  /** Ticks of one clock shared by all requests: when it arrived and when its answer was sent. */
  arrived: number;
  answered: number;
}

export interface Fault {
  status: number;
  code: string;
  message: string;
}

export interface AwsProxy {
  endpoint: string;
  requests: ProxiedRequest[];
  close(): Promise<void>;
}

/**
 * Forwards to `target` unless `fault` scripts an error answer for the request. The `<Error><Code>` body is S3's
 * shape; the SDK's REST-XML error parser reads the code from it for CloudFront too.
 */
export async function startAwsProxy(
  target: string,
  fault: (method: string, path: string) => Fault | undefined = () => undefined,
): Promise<AwsProxy> {
  const requests: ProxiedRequest[] = [];
  let clock = 0;
  const server = createServer((incoming, outgoing) => {
    const path = (incoming.url ?? '').split('?')[0] as string;
    const entry: ProxiedRequest = { method: incoming.method ?? '', path, status: 0, arrived: ++clock, answered: 0 };
    requests.push(entry);
    const done = (status: number) => {
      entry.status = status;
      entry.answered = ++clock;
    };
    const answer = fault(entry.method, path);
    if (answer) {
      incoming.resume().on('end', () => {
        outgoing.writeHead(answer.status, { 'content-type': 'application/xml' });
        outgoing.end(
          `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${answer.code}</Code><Message>${answer.message}</Message>` +
            '<RequestId>proxy</RequestId><HostId>proxy</HostId></Error>',
        );
        done(answer.status);
      });
      return;
    }
    const upstream = request(`${target}${incoming.url}`, { method: incoming.method, headers: incoming.headers }, (reply: IncomingMessage) => {
      outgoing.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(outgoing).on('finish', () => done(reply.statusCode ?? 502));
    });
    upstream.on('error', (error) => outgoing.destroy(error));
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
