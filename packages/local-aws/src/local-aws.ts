import { ACMClient, RequestCertificateCommand } from '@aws-sdk/client-acm';
import { cloudFrontDistributions } from './cloudfront-distributions';
import { cloudFrontFunctions, type FunctionStage } from './cloudfront-functions';
import { securityGroupRuleDescriptions } from './ec2-rule-descriptions';
import { managedPolicyRoutes } from './cloudfront-managed-policies';
import { bucketPolicyRoutes } from './s3-bucket-policies';
import { startFakeEcs, type FakeEcs, type FakeRolloutScript } from './fake-ecs';
import type { TaskRunner } from './task-runner';
import { startGateway, type Gateway } from './gateway';
import { startMoto, type Moto } from './moto';
import { writeTerraformOverride } from './terraform-override';

// The whole emulated account: moto for most services, the scripted ECS fake for ECS (Terraform and deploy-ecs must
// see one ECS, and only the fake plays rollouts), and the gateway in front of both that serves what moto lacks.

export interface LocalAwsOptions {
  region?: string;
  /** Played by an UpdateService that starts a rollout when no script is queued (see FakeEcsOptions). */
  defaultRollout?: FakeRolloutScript;
  /** Runs the tasks RunTask starts as local processes (see FakeEcsOptions). */
  taskRunner?: TaskRunner;
}

export interface LocalAws {
  region: string;
  accountId: string;
  /** The gateway: the one endpoint for every service. */
  endpoint: string;
  /** AWS_ENDPOINT_URL (and AWS_ENDPOINT_URL_ECS), dummy credentials and the region: for SDK clients and actions. */
  env: Record<string, string>;
  moto: Moto;
  ecs: FakeEcs;
  /** moto_server's process id (the fake and the gateway run in this process). */
  pid: number;
  /** One line per part: what runs where. */
  describe(): string[];
  /** Writes the provider and backend override into a copy of terraform/; returns the file's path. */
  writeTerraformOverride(directory: string): Promise<string>;
  /**
   * An ACM certificate for a domain name, as the one a user brings for the ALB's HTTPS listener (terraform/'s
   * origin_certificate_arn): moto's ELBv2 refuses a listener whose certificate its ACM does not hold.
   */
  requestCertificate(domainName: string): Promise<string>;
  /** The code of a CloudFront function (its LIVE stage unless told), by name or ARN, for a local CloudFront to run. */
  cloudFrontFunctionCode(nameOrArn: string, stage?: FunctionStage): string | undefined;
  /** Stops the gateway, the ECS fake and moto (by PID). */
  stop(): Promise<void>;
}

// moto's default account: every ARN it makes carries it.
const ACCOUNT_ID = '123456789012';

async function stopAll(stoppers: Array<() => Promise<void>>): Promise<void> {
  const results = await Promise.allSettled(stoppers.map((stop) => stop()));
  const failed = results.find((result): result is PromiseRejectedResult => result.status === 'rejected');
  if (failed) throw failed.reason;
}

export async function startLocalAws({ region = 'us-east-1', defaultRollout, taskRunner }: LocalAwsOptions = {}): Promise<LocalAws> {
  const started: Array<() => Promise<void>> = [];
  try {
    const moto = await startMoto();
    started.push(moto.stop);
    const ecs = await startFakeEcs({ region, accountId: ACCOUNT_ID, defaultRollout, taskRunner });
    started.push(ecs.stop);
    let endpoint = '';
    const functions = cloudFrontFunctions({ accountId: ACCOUNT_ID, endpoint: () => endpoint });
    const gateway: Gateway = await startGateway({
      routes: [
        ...functions.routes,
        ...managedPolicyRoutes,
        ...cloudFrontDistributions({ accountId: ACCOUNT_ID, endpoint: () => endpoint }),
        ...bucketPolicyRoutes(),
      ],
      amendments: [securityGroupRuleDescriptions()],
      upstreams: { ecs: ecs.endpoint },
      fallback: moto.endpoint,
    });
    started.push(gateway.stop);
    endpoint = gateway.endpoint;
    return {
      region,
      accountId: ACCOUNT_ID,
      endpoint,
      env: {
        AWS_ENDPOINT_URL: endpoint,
        AWS_ENDPOINT_URL_ECS: ecs.endpoint,
        AWS_ACCESS_KEY_ID: 'testing',
        AWS_SECRET_ACCESS_KEY: 'testing',
        AWS_REGION: region,
        AWS_DEFAULT_REGION: region,
      },
      moto,
      ecs,
      pid: moto.pid,
      describe: () => [
        `gateway   ${endpoint} (AWS_ENDPOINT_URL): CloudFront distributions, functions and managed policies; the rest forwarded`,
        `moto      ${moto.endpoint} (moto_server, pid ${moto.pid}): every other service`,
        `ECS       ${ecs.endpoint} (AWS_ENDPOINT_URL_ECS): the scripted ECS fake, in this process` +
          (taskRunner ? '; RunTask runs tasks as local processes, each on its own 127.0.0.N' : ''),
      ],
      writeTerraformOverride: (directory) => writeTerraformOverride(directory, { endpoint, region }),
      requestCertificate: async (domainName) => {
        const acm = new ACMClient({ region, endpoint, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } });
        const { CertificateArn } = await acm.send(new RequestCertificateCommand({ DomainName: domainName, ValidationMethod: 'DNS' }));
        if (!CertificateArn) throw new Error(`ACM returned no certificate for ${domainName}`);
        return CertificateArn;
      },
      cloudFrontFunctionCode: functions.code,
      stop: () => stopAll([...started].reverse()),
    };
  } catch (error) {
    await stopAll([...started].reverse()).catch(() => undefined);
    throw error;
  }
}
