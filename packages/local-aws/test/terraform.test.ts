import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { repoRoot } from '../../../scripts/lib/repo.mjs';
import { terraformEnv, terraformUnavailable } from '../../../scripts/lib/terraform.mjs';
import { startLocalAws, type LocalAws } from '../src/index';

// The real terraform/ with the real hashicorp/aws provider, applied to an empty local account and planned again:
// the proof that the local AWS is complete enough for the configuration, and describes what it was sent.

const run = promisify(execFile);
const unavailable = terraformUnavailable();
const TERRAFORM_DIR = join(repoRoot, 'terraform');
const ORIGIN_DOMAIN = 'origin.notebooks.example.com';

if (unavailable && process.env.CI !== 'true') {
  console.warn(`\n${'!'.repeat(100)}\nSKIPPED: terraform/ against the local AWS: ${unavailable}\n${'!'.repeat(100)}\n`);
}

// Only on a machine without the provider: in CI that is a failure, not a skip.
if (unavailable && process.env.CI === 'true') {
  it('fails in CI, where the provider mirror must exist', () => {
    throw new Error(`terraform/ against the local AWS cannot run: ${unavailable}`);
  });
}

(unavailable ? describe.skip : describe)('terraform/ against the local AWS', () => {
  let aws: LocalAws;
  let dir: string;
  /** The workspace's variables: the origin certificate is requested from the local ACM, as a user requests theirs. */
  let variables: string[];
  /** terraform's stdout; a failure shows what terraform printed. */
  async function terraform(...args: string[]): Promise<string> {
    try {
      const options = { cwd: dir, env: { ...process.env, ...terraformEnv() }, maxBuffer: 64 * 1024 * 1024 };
      return (await run('terraform', [...args, '-no-color'], options)).stdout;
    } catch (error) {
      const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
      const printed = `${stderr}\n${stdout.split('\n').slice(-80).join('\n')}`;
      throw new Error(`terraform ${args.join(' ')} failed:\n${printed}`, { cause: error });
    }
  }

  beforeAll(async () => {
    aws = await startLocalAws({ region: 'eu-west-2' });
    dir = await mkdtemp(join(tmpdir(), 'local-aws-terraform-'));
    const local = new Set(['.terraform', 'test', 'terraform.tfstate', 'terraform.tfstate.backup']);
    await cp(TERRAFORM_DIR, dir, { recursive: true, filter: (source) => !local.has(basename(source)) });
    await aws.writeTerraformOverride(dir);
    const certificate = await aws.requestCertificate(ORIGIN_DOMAIN);
    variables = ['github_repository=octo-org/notebook-ship', `origin_domain_name=${ORIGIN_DOMAIN}`, `origin_certificate_arn=${certificate}`].flatMap(
      (variable) => ['-var', variable],
    );
    await terraform('init', '-input=false', '-lockfile=readonly');
  }, 120_000);

  afterAll(async () => {
    await aws?.stop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('applies from an empty account', async () => {
    const applied = await terraform('apply', '-auto-approve', '-input=false', ...variables);
    expect(applied).toMatch(/Apply complete! Resources: \d+ added, 0 changed, 0 destroyed\./);

    const outputs = JSON.parse(await terraform('output', '-json')) as Record<string, { value: string }>;
    const value = (name: string) => outputs[name]?.value;
    expect(value('aws_region')).toBe('eu-west-2');
    expect(value('ecs_cluster_name')).toBe('notebook-ship');
    expect(value('cloudfront_distribution_id')).toMatch(/^E[A-Z0-9]{13}$/);
    expect(value('app_url')).toMatch(/^https:\/\/d[a-z0-9]{13}\.cloudfront\.net$/);
    expect(value('spa_bucket_name')).toBe('notebook-ship-spa-123456789012-eu-west-2');
    expect(value('deploy_role_arn')).toBe('arn:aws:iam::123456789012:role/notebook-ship-github-deploy');

    // One ECS for Terraform and the deploys: the service Terraform created is the scripted fake's.
    const ecs = new ECSClient({ region: aws.region, endpoint: aws.env.AWS_ENDPOINT_URL_ECS, credentials: { accessKeyId: 'x', secretAccessKey: 'x' } });
    const { services } = await ecs.send(new DescribeServicesCommand({ cluster: value('ecs_cluster_name'), services: [value('ecs_service_name') ?? ''] }));
    expect(services?.[0]).toMatchObject({ status: 'ACTIVE', desiredCount: 0, launchType: 'FARGATE' });

    // What a local CloudFront runs is what Terraform published.
    const code = await readFile(join(TERRAFORM_DIR, 'functions', 'spa_fallback.js'), 'utf8');
    expect(aws.cloudFrontFunctionCode('notebook-ship-spa-fallback')).toBe(code);
  }, 600_000);

  it('plans no changes right after', async () => {
    // -detailed-exitcode: 0 is no changes, 2 (a failure here, with the diff) is changes.
    expect(await terraform('plan', '-detailed-exitcode', '-input=false', ...variables)).toContain('No changes.');
  }, 300_000);
});
