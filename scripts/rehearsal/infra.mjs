// The "infra" stage: what `terraform apply` creates in AWS, created directly in the emulator with the names and
// settings of terraform/ (scripts/test/infra.test.ts holds them to it). Terraform itself runs in Terraform Cloud in
// the real pipeline (actions/terraform-cloud); nothing here replaces that.
import { randomInt } from 'node:crypto';
import { CloudFrontClient, CreateDistributionCommand } from '@aws-sdk/client-cloudfront';
import { CreateRepositoryCommand, ECRClient } from '@aws-sdk/client-ecr';
import { CreateBucketCommand, PutBucketVersioningCommand, S3Client } from '@aws-sdk/client-s3';
import { STSClient } from '@aws-sdk/client-sts';
import { BEHAVIOURS, DEFAULT_BEHAVIOUR } from '../../frontend/scripts/serve.mjs';

/** var.name's default, and the app contract of terraform/main.tf. */
export const NAME = 'notebook-ship';
export const CONTAINER_NAME = 'app';
export const CONTAINER_PORT = 8000;
const ORIGIN_IDS = { site: 'spa-bucket', api: 'api-alb' };

export function resourceNames({ name = NAME, accountId, region }) {
  return {
    repository: name,
    cluster: name,
    service: name,
    taskFamily: name,
    spaBucket: `${name}-spa-${accountId}-${region}`,
    notebookBucket: `${name}-notebooks-${accountId}-${region}`,
    secret: `${name}/access-token`,
    logGroup: `/ecs/${name}`,
  };
}

/** Like the ephemeral random_password of terraform/secrets.tf: 48 letters and digits. */
export function generateAccessToken() {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
  return Array.from({ length: 48 }, () => alphabet[randomInt(alphabet.length)]).join('');
}

/** The revision terraform/ecs.tf registers (APP_VERSION "bootstrap" until the first deploy sets the SHA). */
export function taskDefinition({ names, repositoryUrl, secretArn, region }) {
  return {
    family: names.taskFamily,
    requiresCompatibilities: ['FARGATE'],
    networkMode: 'awsvpc',
    cpu: '512',
    memory: '1024',
    runtimePlatform: { operatingSystemFamily: 'LINUX', cpuArchitecture: 'X86_64' },
    containerDefinitions: [
      {
        name: CONTAINER_NAME,
        image: `${repositoryUrl}:bootstrap`,
        essential: true,
        portMappings: [{ name: 'http', containerPort: CONTAINER_PORT, protocol: 'tcp' }],
        environment: [
          { name: 'APP_VERSION', value: 'bootstrap' },
          { name: 'NOTEBOOK_BUCKET', value: names.notebookBucket },
        ],
        secrets: [{ name: 'ACCESS_TOKEN', valueFrom: secretArn }],
        linuxParameters: { initProcessEnabled: true },
        stopTimeout: 30,
        logConfiguration: {
          logDriver: 'awslogs',
          options: { 'awslogs-group': names.logGroup, 'awslogs-region': region, 'awslogs-stream-prefix': 'app' },
        },
      },
    ],
  };
}

/** terraform/ecs.tf's service: one task, the old one stopped first, circuit breaker with rollback. */
export const DEPLOYMENT_CONFIGURATION = {
  minimumHealthyPercent: 0,
  maximumPercent: 100,
  deploymentCircuitBreaker: { enable: true, rollback: true },
};

const items = (list) => ({ Quantity: list.length, Items: list });

/** The distribution of terraform/frontend.tf, its behaviours taken from the local edge that plays it. */
export function distributionConfig({ names, region, apiHost, apiPort, callerReference }) {
  const methods = (allowed) => ({ ...items(allowed), CachedMethods: items(['GET', 'HEAD']) });
  return {
    CallerReference: callerReference,
    Comment: `${NAME}: SPA from S3, /api/* and /health from the ALB`,
    Enabled: true,
    DefaultRootObject: 'index.html',
    Origins: items([
      {
        Id: ORIGIN_IDS.site,
        DomainName: `${names.spaBucket}.s3.${region}.amazonaws.com`,
        OriginPath: '',
        S3OriginConfig: { OriginAccessIdentity: '' },
      },
      {
        // The ALB: here the app task itself, on loopback.
        Id: ORIGIN_IDS.api,
        DomainName: apiHost,
        OriginPath: '',
        CustomOriginConfig: {
          HTTPPort: apiPort,
          HTTPSPort: 443,
          OriginProtocolPolicy: 'http-only',
          OriginSslProtocols: items(['TLSv1.2']),
          OriginReadTimeout: 60,
          OriginKeepaliveTimeout: 60,
        },
      },
    ]),
    DefaultCacheBehavior: {
      TargetOriginId: ORIGIN_IDS[DEFAULT_BEHAVIOUR.origin],
      ViewerProtocolPolicy: 'redirect-to-https',
      AllowedMethods: methods(DEFAULT_BEHAVIOUR.allowedMethods),
      Compress: true,
      // Managed-CachingOptimized
      CachePolicyId: '658327ea-f89d-4fab-a63d-7e88639e58f6',
    },
    CacheBehaviors: items(
      BEHAVIOURS.map((behaviour) => ({
        PathPattern: behaviour.pathPattern,
        TargetOriginId: ORIGIN_IDS[behaviour.origin],
        ViewerProtocolPolicy: 'https-only',
        AllowedMethods: methods(behaviour.allowedMethods),
        // Managed-CachingDisabled
        CachePolicyId: '4135ea2d-6df8-44a3-9df3-4b5a84be39ad',
      })),
    ),
  };
}

/** SDK clients on the emulator, and nothing else: explicit endpoint and dummy credentials. */
export function emulatorClients(endpoint, region) {
  const config = {
    region,
    endpoint,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    forcePathStyle: true,
  };
  return {
    sts: new STSClient(config),
    ecr: new ECRClient(config),
    s3: new S3Client(config),
    cloudFront: new CloudFrontClient(config),
  };
}

/**
 * Creates every resource the pipeline needs and returns the Terraform outputs the deploy stages read, by the names
 * stage-terraform.yml gives them, plus the access token (written to Secrets Manager by Terraform in AWS).
 * @param {{ clients: ReturnType<typeof emulatorClients>, fakeEcs: import('../../packages/local-aws/src/fake-ecs').FakeEcs,
 *   names: ReturnType<typeof resourceNames>, accountId: string, region: string, apiPort: number, appUrl: string,
 *   log: (line: string) => void }} options
 */
export async function provision({ clients, fakeEcs, names, accountId, region, apiPort, appUrl, log }) {

  const { repository } = await clients.ecr.send(
    new CreateRepositoryCommand({
      repositoryName: names.repository,
      imageTagMutability: 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
    }),
  );
  const repositoryUrl = repository.repositoryUri;
  log(`ECR repository      ${repositoryUrl}`);

  for (const bucket of [names.spaBucket, names.notebookBucket]) {
    await clients.s3.send(new CreateBucketCommand({ Bucket: bucket }));
    await clients.s3.send(new PutBucketVersioningCommand({ Bucket: bucket, VersioningConfiguration: { Status: 'Enabled' } }));
  }
  log(`S3 buckets          ${names.spaBucket} (the site), ${names.notebookBucket} (notebooks), both versioned`);

  const accessToken = generateAccessToken();
  const secretArn = `arn:aws:secretsmanager:${region}:${accountId}:secret:${names.secret}`;
  log(`access token        generated (in AWS: the Secrets Manager secret ${names.secret}, injected by ECS)`);

  const revision = fakeEcs.registerTaskDefinition(taskDefinition({ names, repositoryUrl, secretArn, region }));
  fakeEcs.createService({
    cluster: names.cluster,
    service: names.service,
    taskDefinition: revision,
    desiredCount: 1,
    deploymentConfiguration: DEPLOYMENT_CONFIGURATION,
  });
  log(`ECS                 cluster ${names.cluster}, service ${names.service} on ${revision}`);

  const { Distribution: distribution } = await clients.cloudFront.send(
    new CreateDistributionCommand({
      DistributionConfig: distributionConfig({
        names,
        region,
        apiHost: '127.0.0.1',
        apiPort,
        callerReference: `${NAME}-${Date.now()}`,
      }),
    }),
  );
  log(`CloudFront          distribution ${distribution.Id}, played locally at ${appUrl}`);

  return {
    names,
    accessToken,
    secrets: { [secretArn]: accessToken },
    outputs: {
      'aws-region': region,
      'ecr-repository-url': repositoryUrl,
      'ecs-cluster-name': names.cluster,
      'ecs-service-name': names.service,
      'ecs-container-name': CONTAINER_NAME,
      'spa-bucket-name': names.spaBucket,
      'cloudfront-distribution-id': distribution.Id,
      'app-url': appUrl,
      'access-token-secret-arn': secretArn,
      'notebook-bucket-name': names.notebookBucket,
    },
  };
}
