// The properties issue 10 asks of terraform/, one named check each. structure.test.ts runs them on the real
// configuration; seeds.test.ts proves each one fails on the mistake it guards against.
import { expect } from '@jest/globals';
import {
  allowStatements,
  blocks,
  get,
  input,
  list,
  localModule,
  object,
  only,
  reference,
  strings,
  type Block,
  type Config,
  type Json,
} from './config';

export type Check = (config: Config) => void;

const resource = (config: Config, key: string) => get(config.resources, key);
const data = (config: Config, key: string) => get(config.data, key);

function distribution(config: Config): Block {
  return resource(config, 'aws_cloudfront_distribution.app');
}

/** The origin a cache behaviour sends to, resolved through locals to the origin block. */
function originOf(config: Config, behaviour: Block): Block {
  const id = resolve(config, behaviour.target_origin_id);
  const origin = blocks(distribution(config), 'origin').find((candidate) => resolve(config, candidate.origin_id) === id);
  if (!origin) throw new Error(`no origin with id ${String(id)}`);
  return origin;
}

/** A literal, or a "${local.x}" whose value is a literal. */
function resolve(config: Config, value: Json | undefined): Json | undefined {
  if (typeof value === 'string' && /^\$\{local\.[a-z_]+\}$/.test(value)) {
    return resolve(config, config.locals[reference(value).slice('local.'.length)]);
  }
  return value;
}

/** The managed policy a behaviour attribute points at, by the data source's name argument. */
function managedPolicyName(config: Config, value: Json | undefined): string {
  const address = reference(value).replace(/\.id$/, '');
  const body = data(config, address.replace(/^data\./, ''));
  return String(body.name);
}

function behaviour(config: Config, path: string): Block {
  const found = blocks(distribution(config), 'ordered_cache_behavior').filter(
    (candidate) => resolve(config, candidate.path_pattern) === path,
  );
  expect(found).toHaveLength(1);
  return found[0] as Block;
}

function apiBehaviourCheck(path: string, methods: string[]): Check {
  return (config) => {
    const cache = behaviour(config, path);
    const origin = originOf(config, cache);
    expect(origin.domain_name).toBe('${var.origin_domain_name}');
    expect(only(origin.custom_origin_config).origin_protocol_policy).toBe('https-only');
    expect(origin.origin_access_control_id).toBeUndefined();
    expect(managedPolicyName(config, cache.cache_policy_id)).toBe('Managed-CachingDisabled');
    expect(managedPolicyName(config, cache.origin_request_policy_id)).toBe('Managed-AllViewerExceptHostHeader');
    expect([...strings(cache.allowed_methods)].sort()).toEqual([...methods].sort());
    expect(cache.viewer_protocol_policy).toBe('https-only');
    expect(cache.function_association).toBeUndefined();
  };
}

/** The source every bucket's module call names: the hardening is written once, there. */
export const PRIVATE_BUCKET = './modules/private-bucket';

/** A bucket's module call and the private-bucket module it runs. */
function bucketModule(config: Config, call: string) {
  const resolved = localModule(config, call);
  expect(resolved.call.source).toBe(PRIVATE_BUCKET);
  return resolved;
}

/** The module's resources that make a bucket private, versioned and TLS-only, each asserted on as written once. */
function privateBucketHardening(module: Config) {
  const moduleResource = (key: string) => get(module.resources, key);
  expect(only(moduleResource('aws_s3_bucket_versioning.this').versioning_configuration).status).toBe('Enabled');
  expect(moduleResource('aws_s3_bucket_public_access_block.this')).toMatchObject({
    block_public_acls: true,
    block_public_policy: true,
    ignore_public_acls: true,
    restrict_public_buckets: true,
  });
  expect(only(moduleResource('aws_s3_bucket_ownership_controls.this').rule).object_ownership).toBe('BucketOwnerEnforced');
  expect(moduleResource('aws_s3_bucket.this').force_destroy).toBeUndefined();
  const encryption = only(moduleResource('aws_s3_bucket_server_side_encryption_configuration.this').rule);
  expect(only(encryption.apply_server_side_encryption_by_default)).toEqual({ sse_algorithm: '${var.sse_algorithm}' });
  // The bucket policy is the module's document: the caller's statements merged with its TLS-only deny.
  const bucketPolicy = moduleResource('aws_s3_bucket_policy.this');
  expect(bucketPolicy.policy).toBe('${data.aws_iam_policy_document.this.json}');
  const document = get(module.data, 'aws_iam_policy_document.this');
  expect(document.source_policy_documents).toBe('${var.source_policy_documents}');
  const deny = only(document.statement);
  expect(deny.effect).toBe('Deny');
  expect(deny.actions).toEqual(['s3:*']);
  expect(deny.resources).toEqual(['${aws_s3_bucket.this.arn}', '${aws_s3_bucket.this.arn}/*']);
  expect(only(deny.principals)).toEqual({ type: '*', identifiers: ['*'] });
  expect(condition(deny, 'aws:SecureTransport').values).toEqual(['false']);
  return { moduleResource };
}

/** What a module output is, e.g. "${aws_s3_bucket.this.arn}". */
function moduleOutput(module: Config, name: string): Json | undefined {
  return get(module.outputs, name).value;
}

/** Each bucket's resources before the module (frontend.tf's "spa", notebooks.tf's "notebooks") → their module call. */
export const movedBuckets = { spa: 'spa_bucket', notebooks: 'notebook_bucket' } as const;
export const bucketResourceTypes = [
  'aws_s3_bucket',
  'aws_s3_bucket_versioning',
  'aws_s3_bucket_server_side_encryption_configuration',
  'aws_s3_bucket_public_access_block',
  'aws_s3_bucket_ownership_controls',
  'aws_s3_bucket_lifecycle_configuration',
  'aws_s3_bucket_policy',
];

function trustStatement(config: Config): Block {
  return only(data(config, 'aws_iam_policy_document.github_assume').statement);
}

function condition(statement: Block, variable: string): Block {
  const found = blocks(statement, 'condition').filter((candidate) => candidate.variable === variable);
  expect(found).toHaveLength(1);
  return found[0] as Block;
}

function containerDefinition(config: Config): Block {
  const task = resource(config, 'aws_ecs_task_definition.app');
  expect(task.container_definitions).toBe('${jsonencode([local.app_container])}');
  return object(config.locals.app_container);
}

/**
 * The `{ name = "X", value = ... }` entries of a list of container variables, name → value: from a literal list as
 * parsed ("${var.x}"), or from the text of an expression such as `local.sign_in ? [...] : []` (var.x).
 */
function namedEntries(value: Json | undefined): Record<string, string> {
  if (Array.isArray(value)) {
    return Object.fromEntries(value.map(object).map((entry) => [String(entry.name), String(entry.value ?? entry.valueFrom)]));
  }
  const text = String(value);
  const pattern = /\{\s*name\s*=\s*"([A-Za-z0-9_]+)",\s*value(?:From)?\s*=\s*(.+?)\s*\}/g;
  return Object.fromEntries([...text.matchAll(pattern)].map((match) => [match[1] as string, match[2] as string]));
}

/** Everything in the root module's files but variables.tf (where a variable's own validation names it). */
function usesOutsideVariables(config: Config, pattern: RegExp): { file: string; use: string }[] {
  return [...config.files]
    .filter(([file]) => file.endsWith('.tf') && !file.includes('/') && file !== 'variables.tf')
    .flatMap(([file, text]) => [...text.matchAll(new RegExp(pattern, 'g'))].map((match) => ({ file, use: match[0] })));
}

/** What the app's container gets in its plain environment (each list concat()enated into it). */
export const environmentLists = ['app_environment', 'sign_in_environment', 'kernel_limits_environment', 'kernel_ecs_environment'];

/** What ECS injects from Secrets Manager: never in a plain environment. */
export const secretNames = ['ACCESS_TOKEN', 'OIDC_CLIENT_SECRET', 'SESSION_SECRET'];

/** The audit policy's grant: append, and read back for GET /api/audit. */
export const auditActions = [
  'logs:CreateLogStream',
  'logs:DescribeLogStreams',
  'logs:FilterLogEvents',
  'logs:GetLogEvents',
  'logs:PutLogEvents',
];

/** Actions AWS only authorizes on "*" (no resource type), each with why the deploy or the task needs it. */
export const actionsWithoutResourceTypes = new Set([
  'ecr:GetAuthorizationToken',
  'ecs:DescribeTaskDefinition',
  'ecs:ListTaskDefinitions',
  'ecs:RegisterTaskDefinition',
  'ecs:DeregisterTaskDefinition',
  'ecs:ListTasks',
  // What a Terraform plan describes that has no resource type (the HCP Terraform plan role).
  'cloudfront:ListCachePolicies',
  'cloudfront:ListOriginRequestPolicies',
  'cloudfront:ListResponseHeadersPolicies',
  'ec2:DescribeAddresses',
  'ec2:DescribeAddressesAttribute',
  'ec2:DescribeAvailabilityZones',
  'ec2:DescribeInternetGateways',
  'ec2:DescribeManagedPrefixLists',
  'ec2:DescribeNatGateways',
  'ec2:DescribeNetworkInterfaces',
  'ec2:DescribePrefixLists',
  'ec2:DescribeRouteTables',
  'ec2:DescribeSecurityGroupRules',
  'ec2:DescribeSecurityGroups',
  'ec2:DescribeSubnets',
  'ec2:DescribeVpcAttribute',
  'ec2:DescribeVpcEndpoints',
  'ec2:DescribeVpcs',
  'elasticloadbalancing:DescribeListenerAttributes',
  'elasticloadbalancing:DescribeListeners',
  'elasticloadbalancing:DescribeLoadBalancerAttributes',
  'elasticloadbalancing:DescribeLoadBalancers',
  'elasticloadbalancing:DescribeRules',
  'elasticloadbalancing:DescribeTags',
  'elasticloadbalancing:DescribeTargetGroupAttributes',
  'elasticloadbalancing:DescribeTargetGroups',
  'iam:ListOpenIDConnectProviders',
  'logs:DescribeLogGroups',
  'secretsmanager:GetRandomPassword',
  // Creating these has no resource type (the HCP Terraform apply role).
  'cloudfront:CreateOriginAccessControl',
  'kms:CreateKey',
]);

export const requiredOutputs = [
  'ecr_repository_url',
  'ecr_cache_ref',
  'ecs_task_definition_arn',
  'ecs_cluster_name',
  'ecs_service_name',
  'spa_bucket_name',
  'cloudfront_distribution_id',
  'app_url',
  'alb_dns_name',
  'deploy_role_arn',
  'notebook_bucket_name',
  'access_token_secret_arn',
  'oidc_callback_url',
  'audit_log_group',
];

export const checks: Record<string, Check> = {
  'the region is a variable defaulting to London, eu-west-2': (config) => {
    const region = get(config.variables, 'aws_region');
    expect(region.default).toBe('eu-west-2');
    expect(region.type).toBe('${string}');
    expect(get(config.providers, 'aws').region).toBe('${var.aws_region}');
    expect([...config.files.values()].join('\n')).not.toMatch(/eu-north-1/);
  },

  'terraform.tf pins Terraform and the AWS provider (the only one, locked) and uses a cloud block driven by the environment': (
    config,
  ) => {
    expect(config.fileOf.get('provider.aws')).toBe('providers.tf');
    const settings = config.terraform;
    expect(settings).toHaveLength(1);
    const terraform = settings[0] as Block;
    expect(config.files.get('terraform.tf')).toMatch(/^terraform \{/);
    expect(terraform.required_version).toMatch(/^>= 1\.1[1-9]/);
    const providers = only(terraform.required_providers);
    // Secrets come from the AWS provider's own generator: no hashicorp/random, one provider to mirror and lock.
    expect(Object.keys(providers)).toEqual(['aws']);
    expect(providers.aws).toEqual({ source: 'hashicorp/aws', version: expect.stringMatching(/^~> 5\.\d+$/) });
    expect([...config.locks.keys()]).toEqual(['registry.terraform.io/hashicorp/aws']);
    const lock = get(config.locks, 'registry.terraform.io/hashicorp/aws');
    expect(lock.constraints).toBe(object(providers.aws).version);
    expect(lock.version).toMatch(/^5\.\d+\.\d+$/);
    expect(strings(lock.hashes).length).toBeGreaterThan(0);
    // Organization and workspace come from TF_CLOUD_ORGANIZATION / TF_WORKSPACE: nothing hard-coded.
    expect(only(terraform.cloud)).toEqual({});
    expect(terraform.backend).toBeUndefined();
    // A local module asks for the same provider and constraint (its versions.tf), so the one lock entry covers it.
    expect(config.localModules.size).toBeGreaterThan(0);
    for (const [source, module] of config.localModules) {
      expect({ source, files: module.terraform.length }).toEqual({ source, files: 1 });
      const own = module.terraform[0] as Block;
      expect({ source, providers: only(own.required_providers) }).toEqual({ source, providers });
      expect(own.cloud).toBeUndefined();
      expect(own.backend).toBeUndefined();
      expect(module.providers.size).toBe(0);
    }
  },

  'files are split by domain as the style guide says': (config) => {
    for (const file of ['terraform.tf', 'providers.tf', 'variables.tf', 'outputs.tf', 'network.tf', 'ecs.tf', 'alb.tf']) {
      expect(config.files.has(file)).toBe(true);
    }
    for (const file of ['frontend.tf', 'iam.tf', 'github_oidc.tf']) expect(config.files.has(file)).toBe(true);
    for (const [address, file] of config.fileOf) {
      if (address.startsWith('variable.')) expect([address, file]).toEqual([address, 'variables.tf']);
      if (address.startsWith('output.')) expect([address, file]).toEqual([address, 'outputs.tf']);
    }
    expect(config.fileOf.get('resource.aws_cloudfront_distribution.app')).toBe('frontend.tf');
    expect(config.fileOf.get('resource.aws_ecs_service.app')).toBe('ecs.tf');
    expect(config.fileOf.get('resource.aws_lb.app')).toBe('alb.tf');
    expect(config.fileOf.get('resource.aws_vpc.main')).toBe('network.tf');
    expect(config.fileOf.get('resource.aws_iam_role.deploy')).toBe('github_oidc.tf');
    expect(config.fileOf.get('resource.aws_iam_role.task')).toBe('iam.tf');
    expect(config.fileOf.get('module.spa_bucket')).toBe('frontend.tf');
    expect(config.fileOf.get('module.notebook_bucket')).toBe('notebooks.tf');
    // A local module as HashiCorp lays one out: main.tf, variables.tf, outputs.tf and versions.tf.
    for (const [source, module] of config.localModules) {
      expect({ source, files: [...module.files.keys()].sort() }).toEqual({
        source,
        files: ['main.tf', 'outputs.tf', 'variables.tf', 'versions.tf'],
      });
      for (const [address, file] of module.fileOf) {
        if (address.startsWith('variable.')) expect([source, address, file]).toEqual([source, address, 'variables.tf']);
        if (address.startsWith('output.')) expect([source, address, file]).toEqual([source, address, 'outputs.tf']);
      }
    }
  },

  'every variable is typed and described, and restricted ones are validated': (config) => {
    expect(config.variables.size).toBeGreaterThan(10);
    for (const [name, variable] of config.variables) {
      expect({ name, type: typeof variable.type }).toEqual({ name, type: 'string' });
      expect({ name, description: String(variable.description ?? '').length > 20 }).toEqual({ name, description: true });
    }
    const restricted = ['aws_region', 'name', 'vpc_cidr', 'task_cpu', 'task_memory', 'log_retention_days'];
    restricted.push('certificate_arn', 'domain_aliases', 'cloudfront_price_class', 'github_repository');
    restricted.push('github_branches', 'github_environments', 'access_token_version', 'ecr_keep_images');
    restricted.push('oidc_issuer', 'oidc_client_id', 'oidc_client_secret', 'oidc_client_secret_version', 'oidc_scopes');
    restricted.push('oidc_groups_claim', 'admin_users', 'admin_groups', 'session_secret_version', 'audit_log_retention_days');
    for (const name of restricted) {
      const validations = blocks(get(config.variables, name), 'validation');
      expect({ name, validated: validations.length > 0 }).toEqual({ name, validated: true });
      for (const validation of validations) {
        expect(validation.condition).toMatch(/var\./);
        expect(String(validation.error_message)).toMatch(/^The |^Each |^At least /);
      }
    }
    const bucket = localModule(config, 'spa_bucket').module;
    const moduleRestricted = ['bucket', 'sse_algorithm', 'noncurrent_version_retention_days'];
    moduleRestricted.push('abort_incomplete_multipart_upload_days');
    for (const [name, variable] of bucket.variables) {
      expect({ name, type: typeof variable.type }).toEqual({ name, type: 'string' });
      expect({ name, description: String(variable.description ?? '').length > 20 }).toEqual({ name, description: true });
      const validations = blocks(variable, 'validation');
      expect({ name, validated: validations.length > 0 }).toEqual({ name, validated: moduleRestricted.includes(name) });
      for (const validation of validations) {
        expect(validation.condition).toMatch(/var\./);
        expect(String(validation.error_message)).toMatch(/^The /);
      }
    }
  },

  'every output the later stages need is present and described': (config) => {
    for (const name of requiredOutputs) {
      const output = get(config.outputs, name);
      expect({ name, described: String(output.description ?? '').length > 20 }).toEqual({ name, described: true });
    }
    for (const [name, output] of config.outputs) {
      expect({ name, described: typeof output.description === 'string' }).toEqual({ name, described: true });
    }
    expect(get(config.outputs, 'app_url').value).toBe('https://${local.app_domain}');
    expect(get(config.outputs, 'access_token_secret_arn').value).toBe('${aws_secretsmanager_secret.access_token.arn}');
    // Terraform's own newest revision, which deploy-ecs renders every deploy from.
    expect(get(config.outputs, 'ecs_task_definition_arn').value).toBe('${aws_ecs_task_definition.app.arn}');
    expect(get(config.outputs, 'ecr_cache_ref').value).toMatch(/^\$\{aws_ecr_repository\.cache\.name\}:[a-z0-9._-]+$/);
  },

  '/api/* goes to the ALB with every method, caching disabled and all viewer headers but Host': apiBehaviourCheck(
    '/api/*',
    ['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT'],
  ),

  '/health goes to the ALB uncached': apiBehaviourCheck('/health', ['GET', 'HEAD']),

  'the default behaviour serves the SPA from S3 through Origin Access Control': (config) => {
    const cache = only(distribution(config).default_cache_behavior);
    const origin = originOf(config, cache);
    expect(origin.domain_name).toBe('${module.spa_bucket.bucket_regional_domain_name}');
    expect(moduleOutput(bucketModule(config, 'spa_bucket').module, 'bucket_regional_domain_name')).toBe(
      '${aws_s3_bucket.this.bucket_regional_domain_name}',
    );
    expect(origin.origin_access_control_id).toBe('${aws_cloudfront_origin_access_control.spa.id}');
    expect(origin.custom_origin_config).toBeUndefined();
    expect(cache.viewer_protocol_policy).toBe('redirect-to-https');
    expect(managedPolicyName(config, cache.cache_policy_id)).toBe('Managed-CachingOptimized');
    const oac = resource(config, 'aws_cloudfront_origin_access_control.spa');
    expect(oac).toMatchObject({ origin_access_control_origin_type: 's3', signing_behavior: 'always' });
  },

  'the SPA fallback is a CloudFront Function on the default behaviour, never a distribution-wide error rewrite': (
    config,
  ) => {
    expect(distribution(config).custom_error_response).toBeUndefined();
    const cache = only(distribution(config).default_cache_behavior);
    const association = only(cache.function_association);
    expect(association).toEqual({
      event_type: 'viewer-request',
      function_arn: '${aws_cloudfront_function.spa_fallback.arn}',
    });
    const fn = resource(config, 'aws_cloudfront_function.spa_fallback');
    expect(fn).toMatchObject({ runtime: 'cloudfront-js-2.0', publish: true });
    expect(fn.code).toBe('${file("${path.module}/functions/spa_fallback.js")}');
  },

  'the SPA bucket is private and readable only by this distribution': (config) => {
    const spa = bucketModule(config, 'spa_bucket');
    privateBucketHardening(spa.module);
    // SSE-S3: CloudFront (Origin Access Control) cannot decrypt objects under the AWS managed aws/s3 key.
    expect(input(spa, 'sse_algorithm')).toBe('AES256');
    // The bucket policy holds this document's statements besides the module's TLS-only deny.
    expect(input(spa, 'source_policy_documents')).toEqual(['${data.aws_iam_policy_document.spa_bucket.json}']);
    const policy = data(config, 'aws_iam_policy_document.spa_bucket');
    const grants = blocks(policy, 'statement').filter((statement) => (statement.effect ?? 'Allow') === 'Allow');
    expect(grants.length).toBeGreaterThan(0);
    for (const grant of grants) {
      expect(only(grant.principals)).toEqual({ type: 'Service', identifiers: ['cloudfront.amazonaws.com'] });
      expect(condition(grant, 'AWS:SourceArn').values).toEqual(['${aws_cloudfront_distribution.app.arn}']);
    }
  },

  'HTTPS on a custom domain is optional, with the default CloudFront certificate otherwise': (config) => {
    const app = distribution(config);
    expect(app.aliases).toBe('${var.domain_aliases}');
    const certificate = only(app.viewer_certificate);
    expect(certificate.cloudfront_default_certificate).toBe('${var.certificate_arn == null}');
    expect(certificate.acm_certificate_arn).toBe('${var.certificate_arn}');
    expect(get(config.variables, 'certificate_arn').default).toBeNull();
    expect(get(config.variables, 'domain_aliases').default).toEqual([]);
  },

  'the ALB admits only the CloudFront origin-facing prefix list': (config) => {
    const prefixList = data(config, 'aws_ec2_managed_prefix_list.cloudfront');
    expect(prefixList.name).toBe('com.amazonaws.global.cloudfront.origin-facing');
    expect(resource(config, 'aws_lb.app').security_groups).toEqual(['${aws_security_group.alb.id}']);
    const albIngress = [...config.resources].filter(
      ([key, rule]) =>
        key.startsWith('aws_vpc_security_group_ingress_rule.') && rule.security_group_id === '${aws_security_group.alb.id}',
    );
    expect(albIngress).toHaveLength(1);
    const [, rule] = albIngress[0] as [string, Block];
    expect(rule.prefix_list_id).toBe('${data.aws_ec2_managed_prefix_list.cloudfront.id}');
    expect(rule.cidr_ipv4).toBeUndefined();
    expect(rule.cidr_ipv6).toBeUndefined();
    // No inline rules and no legacy aws_security_group_rule that could open it further.
    expect(resource(config, 'aws_security_group.alb').ingress).toBeUndefined();
    expect([...config.resources.keys()].filter((key) => key.startsWith('aws_security_group_rule.'))).toEqual([]);
  },

  'only requests carrying the secret CloudFront header reach the app': (config) => {
    const listener = resource(config, 'aws_lb_listener.https');
    expect(listener.protocol).toBe('HTTPS');
    expect(listener.certificate_arn).toBe('${var.origin_certificate_arn}');
    const fallback = only(listener.default_action);
    expect(fallback.type).toBe('fixed-response');
    expect(only(fallback.fixed_response).status_code).toBe('403');
    const rule = resource(config, 'aws_lb_listener_rule.from_cloudfront');
    const header = only(only(rule.condition).http_header);
    const api = blocks(distribution(config), 'origin').find((origin) => origin.custom_origin_config !== undefined);
    const sent = only(api?.custom_header);
    expect(header.http_header_name).toBe(sent.name);
    // Either rotation slot's value is accepted; CloudFront sends the active slot's.
    expect(header.values).toBe(
      '${[for slot in keys(local.origin_verify_slots) : data.aws_secretsmanager_secret_version.origin_verify[slot].secret_string]}',
    );
    // Generated by AWS (ephemeral, so the generator's value is in no plan), stored in Secrets Manager, read back.
    expect(sent.value).toBe('${data.aws_secretsmanager_secret_version.origin_verify[var.origin_verify_active].secret_string}');
    const read = data(config, 'aws_secretsmanager_secret_version.origin_verify');
    expect(read.secret_id).toBe('${aws_secretsmanager_secret_version.origin_verify[each.key].secret_id}');
    const version = resource(config, 'aws_secretsmanager_secret_version.origin_verify');
    expect(version.secret_id).toBe('${aws_secretsmanager_secret.origin_verify[each.key].id}');
    expect(version.secret_string_wo).toBe('${ephemeral.aws_secretsmanager_random_password.origin_verify[each.key].random_password}');
    // Each slot gets a new value only when its own version is raised.
    expect(version.secret_string_wo_version).toBe('${var.origin_verify_versions[each.key]}');
    expect(get(config.ephemeral, 'aws_secretsmanager_random_password.origin_verify').password_length).toBeGreaterThanOrEqual(32);
  },

  'the ALB keeps WebSockets open for 300 s and health-checks /health on the app port': (config) => {
    const alb = resource(config, 'aws_lb.app');
    expect(alb.idle_timeout).toBe(300);
    expect(alb.internal).toBe(false);
    expect(alb.drop_invalid_header_fields).toBe(true);
    const group = resource(config, 'aws_lb_target_group.app');
    expect(resolve(config, group.port)).toBe(8000);
    expect(group.target_type).toBe('ip');
    expect(resolve(config, only(group.health_check).path)).toBe('/health');
    expect(only(group.stickiness)).toMatchObject({ type: 'lb_cookie', enabled: true });
  },

  'the network has public and private subnets in two zones and a NAT knob defaulting to one': (config) => {
    expect(config.locals.azs).toBe('${slice(data.aws_availability_zones.available.names, 0, 2)}');
    for (const tier of ['public', 'private']) {
      expect(resource(config, `aws_subnet.${tier}`).count).toBe('${length(local.azs)}');
    }
    expect(resource(config, 'aws_subnet.public').map_public_ip_on_launch).toBe(false);
    const single = get(config.variables, 'single_nat_gateway');
    expect(single).toMatchObject({ type: '${bool}', default: true });
    expect(config.locals.nat_count).toBe('${var.single_nat_gateway ? 1 : length(local.azs)}');
    expect(resource(config, 'aws_nat_gateway.main').count).toBe('${local.nat_count}');
    expect(resource(config, 'aws_eip.nat').count).toBe('${local.nat_count}');
    expect(resource(config, 'aws_route.private_nat').nat_gateway_id).toBe(
      '${aws_nat_gateway.main[var.single_nat_gateway ? 0 : count.index].id}',
    );
    expect(resource(config, 'aws_internet_gateway.main').vpc_id).toBe('${aws_vpc.main.id}');
  },

  'the service starts with no task (deploys run its one Fargate task) in the private subnets behind the ALB': (config) => {
    const service = resource(config, 'aws_ecs_service.app');
    // Terraform's revision names an image no build pushes; deploy-ecs starts the single task on the first deploy.
    expect(service.desired_count).toBe(0);
    expect(service.launch_type).toBe('FARGATE');
    const network = only(service.network_configuration);
    expect(network.subnets).toBe('${aws_subnet.private[*].id}');
    expect(network.assign_public_ip).toBe(false);
    const target = only(service.load_balancer);
    expect(target.target_group_arn).toBe('${aws_lb_target_group.app.arn}');
    expect(resolve(config, target.container_port)).toBe(8000);
    expect(resolve(config, target.container_name)).toBe(resolve(config, containerDefinition(config).name));
  },

  'deploys own what runs: the service ignores task_definition and desired_count, Terraform tracks only its revisions': (
    config,
  ) => {
    const service = resource(config, 'aws_ecs_service.app');
    expect(strings(only(service.lifecycle).ignore_changes)).toEqual(
      expect.arrayContaining(['${task_definition}', '${desired_count}']),
    );
    // track_latest would adopt the deployed revision and deregister it on the next apply.
    expect(resource(config, 'aws_ecs_task_definition.app').track_latest ?? false).toBe(false);
  },

  'rollouts replace the single task (min 0 / max 100) with the circuit breaker rolling back': (config) => {
    const service = resource(config, 'aws_ecs_service.app');
    expect(service.deployment_minimum_healthy_percent).toBe(0);
    expect(service.deployment_maximum_percent).toBe(100);
    expect(only(service.deployment_circuit_breaker)).toEqual({ enable: true, rollback: true });
  },

  'the cluster has Container Insights': (config) => {
    const settings = blocks(resource(config, 'aws_ecs_cluster.main'), 'setting');
    expect(settings).toContainEqual({ name: 'containerInsights', value: 'enabled' });
  },

  'the task gets NOTEBOOK_BUCKET, APP_VERSION and ALLOWED_HOSTS, and ACCESS_TOKEN only from Secrets Manager': (config) => {
    const container = containerDefinition(config);
    const ports = blocks(container, 'portMappings').map((mapping) => resolve(config, mapping.containerPort));
    expect(ports).toEqual([8000]);
    // The server's own settings, sign-in's, the kernel limits it shares with kernel tasks, and where ECS places those.
    expect(String(container.environment).replace(/\s+/g, '')).toBe(
      `\${concat(${environmentLists.map((name) => `local.${name}`).join(',')},)}`,
    );
    const environment = Object.fromEntries(
      list(config.locals.app_environment).map(object).map((variable) => [String(variable.name), variable.value]),
    );
    expect(environment).toMatchObject({
      APP_VERSION: '${var.app_version}',
      NOTEBOOK_BUCKET: '${module.notebook_bucket.bucket}',
      // The Host CloudFront's origin requests carry, and the custom domains.
      ALLOWED_HOSTS: '${join(",", concat([var.origin_domain_name], var.domain_aliases))}',
    });
    expect(environment).not.toHaveProperty('ACCESS_TOKEN');
    expect(moduleOutput(bucketModule(config, 'notebook_bucket').module, 'bucket')).toBe('${aws_s3_bucket.this.bucket}');
    expect(container.secrets).toBe('${local.app_secrets}');
    expect(namedEntries(config.locals.app_secrets).ACCESS_TOKEN).toBe('aws_secretsmanager_secret.access_token.arn');
    expect(object(container.logConfiguration).logDriver).toBe('awslogs');
  },

  'secrets reach the task only from Secrets Manager, never its plain environment; sign-in adds its two only when on': (
    config,
  ) => {
    expect(namedEntries(config.locals.app_secrets)).toEqual({
      ACCESS_TOKEN: 'aws_secretsmanager_secret.access_token.arn',
      OIDC_CLIENT_SECRET: 'aws_secretsmanager_secret.oidc_client_secret[0].arn',
      SESSION_SECRET: 'aws_secretsmanager_secret.session_secret[0].arn',
    });
    expect(config.locals.sign_in).toBe('${var.oidc_issuer != ""}');
    const signInSecrets = /local\.sign_in \? \[\s*\{ name = "OIDC_CLIENT_SECRET"[^}]*\},\s*\{ name = "SESSION_SECRET"[^}]*\},?\s*\] : \[\]/;
    expect(String(config.locals.app_secrets)).toMatch(signInSecrets);
    for (const key of ['secret', 'secret_version']) {
      for (const name of ['oidc_client_secret', 'session_secret']) {
        expect({ name, count: resource(config, `aws_secretsmanager_${key}.${name}`).count }).toEqual({
          name,
          count: '${local.sign_in ? 1 : 0}',
        });
      }
    }
    // No list of the plain environment names a secret or holds a secret's value.
    for (const list of environmentLists) {
      for (const [name, value] of Object.entries(namedEntries(config.locals[list]))) {
        expect({ list, name, secret: secretNames.includes(name) }).toEqual({ list, name, secret: false });
        expect({ list, name, value }).toEqual({ list, name, value: expect.not.stringMatching(/secretsmanager|_secret\b|ephemeral\./) });
      }
    }
    // The client secret goes to its secret version alone, the generated session secret too.
    expect(usesOutsideVariables(config, /var\.oidc_client_secret\b/)).toEqual([{ file: 'secrets.tf', use: 'var.oidc_client_secret' }]);
    const generated = /ephemeral\.aws_secretsmanager_random_password\.session_secret\b/;
    expect(usesOutsideVariables(config, generated).map(({ file }) => file)).toEqual(['secrets.tf']);
    // ECS reads exactly the secrets it injects.
    const reads = blocks(data(config, 'aws_iam_policy_document.execution'), 'statement').filter((statement) =>
      strings(statement.actions).includes('secretsmanager:GetSecretValue'),
    );
    expect(reads.map((statement) => statement.resources)).toEqual(['${local.app_secrets[*].valueFrom}']);
  },

  'sign-in secrets are written write-only: the client secret from an ephemeral variable, the session secret generated': (
    config,
  ) => {
    const variable = get(config.variables, 'oidc_client_secret');
    expect(variable).toMatchObject({ sensitive: true, ephemeral: true, default: '' });
    const client = resource(config, 'aws_secretsmanager_secret_version.oidc_client_secret');
    expect(client.secret_string).toBeUndefined();
    expect(client.secret_string_wo).toBe('${var.oidc_client_secret}');
    expect(client.secret_string_wo_version).toBe('${var.oidc_client_secret_version}');
    const session = resource(config, 'aws_secretsmanager_secret_version.session_secret');
    expect(session.secret_string).toBeUndefined();
    expect(session.secret_string_wo).toBe('${ephemeral.aws_secretsmanager_random_password.session_secret[0].random_password}');
    expect(session.secret_string_wo_version).toBe('${var.session_secret_version}');
    const generator = get(config.ephemeral, 'aws_secretsmanager_random_password.session_secret');
    // The backend requires at least 32 characters.
    expect(generator.password_length).toBeGreaterThanOrEqual(32);
    expect(generator.count).toBe('${local.sign_in ? 1 : 0}');
    const readBack = [...config.data]
      .filter(([key]) => key.startsWith('aws_secretsmanager_secret_version.'))
      .filter(([, body]) => /oidc_client_secret|session_secret/.test(String(body.secret_id)));
    expect(readBack).toEqual([]);
  },

  'sign-in is off unless oidc_issuer is an https URL, and the task learns the public URL without a dependency cycle': (
    config,
  ) => {
    const issuer = get(config.variables, 'oidc_issuer');
    expect(issuer).toMatchObject({ type: '${string}', default: '' });
    expect(only(issuer.validation).condition).toMatch(/^\$\{var\.oidc_issuer == "" \|\| can\(regex\("\^\(https:\/\/\[a-z0-9\.-\]\+\|http:\/\/\(127/);
    // With an issuer, the client's ID and secret are required.
    for (const name of ['oidc_client_id', 'oidc_client_secret']) {
      const condition = String(only(get(config.variables, name).validation).condition);
      expect({ name, condition }).toEqual({ name, condition: expect.stringMatching(/^\$\{var\.oidc_issuer == "" \|\| /) });
    }
    expect(get(config.variables, 'oidc_scopes').default).toEqual(['openid', 'profile', 'email']);
    expect(get(config.variables, 'admin_users').default).toEqual([]);
    expect(get(config.variables, 'admin_groups').default).toEqual([]);
    const signIn = String(config.locals.sign_in_environment);
    expect(signIn).toMatch(/^\$\{local\.sign_in \? \[[^\]]*\] : \[\]\}$/);
    expect(Object.keys(namedEntries(signIn)).sort()).toEqual(
      ['ADMIN_GROUPS', 'ADMIN_USERS', 'ALLOWED_ORIGINS', 'OIDC_CLIENT_ID', 'OIDC_GROUPS_CLAIM', 'OIDC_ISSUER', 'OIDC_SCOPES'],
    );
    // The address people open, as app_url; the provider calls back under it.
    expect(namedEntries(config.locals.app_environment).PUBLIC_URL).toBe('${local.public_url}');
    expect(config.locals.public_url).toBe('https://${local.app_domain}');
    expect(get(config.outputs, 'oidc_callback_url').value).toBe('${local.public_url}/api/auth/callback');
    // The task definition depends on the distribution, so the distribution may depend on nothing of the task.
    expect(JSON.stringify(distribution(config))).not.toMatch(/aws_ecs_|aws_iam_role\.|local\.(app_|public_|sign_in)/);
  },

  'the audit log is a group of its own the task role may append to and read, never erase': (config) => {
    const group = resource(config, 'aws_cloudwatch_log_group.audit');
    expect(group.name).toBe('/ecs/${var.name}/audit');
    expect(group.retention_in_days).toBe('${var.audit_log_retention_days}');
    expect(get(config.variables, 'audit_log_retention_days').default).toBe(365);
    // Encrypted as the app's log group is.
    expect(group.kms_key_id).toEqual(resource(config, 'aws_cloudwatch_log_group.app').kms_key_id);
    expect(namedEntries(config.locals.app_environment).AUDIT_LOG_GROUP).toBe('${aws_cloudwatch_log_group.audit.name}');
    expect(get(config.outputs, 'audit_log_group').value).toBe('${aws_cloudwatch_log_group.audit.name}');
    const attached = resource(config, 'aws_iam_role_policy.task_audit_log');
    expect(attached).toMatchObject({ role: '${aws_iam_role.task.id}', policy: '${data.aws_iam_policy_document.task_audit_log.json}' });
    expect(attached.count).toBeUndefined();
    const groupArns = ['${aws_cloudwatch_log_group.audit.arn}', '${aws_cloudwatch_log_group.audit.arn}:*'];
    const statements = blocks(data(config, 'aws_iam_policy_document.task_audit_log'), 'statement');
    const grants = statements.filter((statement) => (statement.effect ?? 'Allow') === 'Allow');
    expect(grants.flatMap((statement) => strings(statement.actions)).sort()).toEqual(auditActions);
    for (const grant of grants) expect(strings(grant.resources)).toEqual(groupArns);
    const denials = statements.filter((statement) => statement.effect === 'Deny');
    expect(denials.flatMap((statement) => strings(statement.actions))).toEqual(
      expect.arrayContaining(['logs:DeleteLogGroup', 'logs:DeleteLogStream', 'logs:PutRetentionPolicy']),
    );
    for (const denial of denials) expect(strings(denial.resources)).toEqual(groupArns);
    // No other policy of the task role grants anything in CloudWatch Logs.
    const taskDocuments = [...config.resources]
      .filter(([key, body]) => key.startsWith('aws_iam_role_policy.') && body.role === '${aws_iam_role.task.id}')
      .map(([, body]) => reference(body.policy).replace(/^data\.aws_iam_policy_document\.|\.json$|\[0\]/g, ''));
    const logsElsewhere = allowStatements(config)
      .filter(({ document }) => taskDocuments.includes(document) && document !== 'task_audit_log')
      .flatMap(({ document, statement }) => strings(statement.actions).filter((action) => action.startsWith('logs:')).map((action) => ({ document, action })));
    expect(logsElsewhere).toEqual([]);
    // The execution role ships the app's logs only, not into the audit group.
    const shipping = blocks(data(config, 'aws_iam_policy_document.execution'), 'statement').filter((statement) =>
      strings(statement.actions).some((action) => action.startsWith('logs:')),
    );
    expect(shipping.flatMap((statement) => strings(statement.resources))).toEqual(['${aws_cloudwatch_log_group.app.arn}:*']);
  },

  'the access token is generated and written write-only: never in the plan, the state or the task definition': (
    config,
  ) => {
    const version = resource(config, 'aws_secretsmanager_secret_version.access_token');
    expect(version.secret_string).toBeUndefined();
    expect(version.secret_string_wo).toBe('${ephemeral.aws_secretsmanager_random_password.access_token.random_password}');
    expect(version.secret_string_wo_version).toBe('${var.access_token_version}');
    const generator = get(config.ephemeral, 'aws_secretsmanager_random_password.access_token');
    expect(generator.password_length).toBeGreaterThanOrEqual(32);
    // A generator that is a resource or a data source, or a data source reading the secret back, keeps the token in
    // the state.
    const stateful = [...config.resources.keys(), ...config.data.keys()];
    expect(stateful.filter((key) => /^(random_|aws_secretsmanager_random_password\.)/.test(key))).toEqual([]);
    const readBack = [...config.data]
      .filter(([key]) => key.startsWith('aws_secretsmanager_secret_version.'))
      .filter(([, body]) => String(body.secret_id).includes('access_token'));
    expect(readBack).toEqual([]);
  },

  'notebooks live in a versioned, encrypted, private, TLS-only bucket': (config) => {
    const notebooks = bucketModule(config, 'notebook_bucket');
    const { moduleResource } = privateBucketHardening(notebooks.module);
    // KMS with the AWS managed aws/s3 key (no key ID) and a bucket key.
    expect(input(notebooks, 'sse_algorithm')).toBe('aws:kms');
    const encryption = only(moduleResource('aws_s3_bucket_server_side_encryption_configuration.this').rule);
    expect(encryption.bucket_key_enabled).toBe('${var.sse_algorithm == "aws:kms" ? true : null}');
    // Nothing but the module's TLS-only deny in its policy.
    expect(input(notebooks, 'source_policy_documents')).toEqual([]);
    // Old versions expire after notebook_version_retention_days.
    expect(input(notebooks, 'noncurrent_version_retention_days')).toBe('${var.notebook_version_retention_days}');
    const lifecycle = only(moduleResource('aws_s3_bucket_lifecycle_configuration.this').rule);
    expect(only(lifecycle.noncurrent_version_expiration).noncurrent_days).toBe('${var.noncurrent_version_retention_days}');
    expect(lifecycle.status).toBe('Enabled');
  },

  'the buckets keep their state: a moved block takes each of their resources into its module': (config) => {
    const expected = Object.entries(movedBuckets).flatMap(([name, call]) =>
      bucketResourceTypes.map((type) => ({ from: `${type}.${name}`, to: `module.${call}.${type}.this` })),
    );
    expect(config.moved.map(({ from, to }) => ({ from, to }))).toEqual(expect.arrayContaining(expected));
    for (const { from, to, file } of config.moved.filter((moved) => moved.to.startsWith('module.'))) {
      // Next to the module call that now holds the resource, and to a resource the module declares.
      const [, call, ...rest] = to.split('.');
      expect({ to, file }).toEqual({ to, file: config.fileOf.get(`module.${call}`) });
      expect(localModule(config, call as string).module.resources.has(rest.join('.'))).toBe(true);
      expect(config.resources.has(from)).toBe(false);
    }
  },

  'the task role may read and write the notebook bucket and nothing else': (config) => {
    const role = resource(config, 'aws_iam_role_policy.task');
    expect(role.policy).toBe('${data.aws_iam_policy_document.task.json}');
    const statements = blocks(data(config, 'aws_iam_policy_document.task'), 'statement');
    const resources = statements.flatMap((statement) => strings(statement.resources));
    expect(new Set(resources)).toEqual(
      new Set(['${module.notebook_bucket.arn}', '${module.notebook_bucket.arn}/*']),
    );
    expect(moduleOutput(bucketModule(config, 'notebook_bucket').module, 'arn')).toBe('${aws_s3_bucket.this.arn}');
    const actions = statements.flatMap((statement) => strings(statement.actions));
    expect(actions.every((action) => action.startsWith('s3:'))).toBe(true);
    expect(actions).toEqual(expect.arrayContaining(['s3:GetObject', 's3:PutObject', 's3:ListBucket']));
  },

  'the kernel role is the task role\'s alone to assume (and ECS\'s for kernel tasks), with no inline policy but reading kernel_data_buckets': (config) => {
    const inlineOn = (role: string) =>
      [...config.resources]
        .filter(([key, body]) => key.startsWith('aws_iam_role_policy.') && body.role === `\${aws_iam_role.${role}.id}`)
        .map(([key]) => key)
        .sort();
    expect(inlineOn('task')).toEqual([
      'aws_iam_role_policy.task',
      'aws_iam_role_policy.task_audit_log',
      'aws_iam_role_policy.task_kernel_role',
      'aws_iam_role_policy.task_kernels',
    ]);
    expect(resource(config, 'aws_iam_role_policy.task_kernels').count).toBe('${local.kernels_on_ecs ? 1 : 0}');
    // Its one inline policy, only with kernel_data_buckets: reading those buckets.
    expect(inlineOn('kernel')).toEqual(['aws_iam_role_policy.kernel_data']);
    expect(resource(config, 'aws_iam_role_policy.kernel_data').count).toBe('${length(var.kernel_data_buckets) > 0 ? 1 : 0}');
    const reads = blocks(data(config, 'aws_iam_policy_document.kernel_data'), 'statement');
    expect(reads.flatMap((statement) => strings(statement.actions)).sort()).toEqual(['s3:GetObject', 's3:ListBucket']);
    const assume = blocks(data(config, 'aws_iam_policy_document.task_kernel_role'), 'statement');
    expect(assume.flatMap((statement) => strings(statement.actions))).toEqual(['sts:AssumeRole']);
    expect(assume.flatMap((statement) => strings(statement.resources))).toEqual(['${aws_iam_role.kernel.arn}']);
    const trustDocument = data(config, 'aws_iam_policy_document.kernel_assume');
    // ECS may assume it for kernel tasks only, on the app's task terms (confused-deputy conditions included).
    expect(trustDocument.source_policy_documents).toBe(
      '${local.kernels_on_ecs ? [data.aws_iam_policy_document.ecs_tasks_assume.json] : []}',
    );
    const trust = only(trustDocument.statement);
    expect(strings(trust.actions)).toEqual(['sts:AssumeRole']);
    expect(only(trust.principals)).toEqual({ type: 'AWS', identifiers: ['${aws_iam_role.task.arn}'] });
    expect(resource(config, 'aws_iam_role.kernel').assume_role_policy).toBe('${data.aws_iam_policy_document.kernel_assume.json}');
    expect(resource(config, 'aws_iam_role_policy_attachment.kernel').policy_arn).toBe('${each.value}');
    expect(get(config.variables, 'kernel_policy_arns').default).toEqual([]);
  },

  'kernel tasks run as the kernel role and admit the app\'s security group alone, only with kernel_launcher = "ecs"': (
    config,
  ) => {
    const task = resource(config, 'aws_ecs_task_definition.kernel');
    expect(task.task_role_arn).toBe('${aws_iam_role.kernel.arn}');
    expect(task.execution_role_arn).toBe('${aws_iam_role.execution.arn}');
    const group = resource(config, 'aws_security_group.kernel');
    for (const kernelResource of [task, group, resource(config, 'aws_iam_role_policy.task_kernels')]) {
      expect(kernelResource.count).toBe('${local.kernels_on_ecs ? 1 : 0}');
    }
    // No inline rules; one ingress rule, from the app's security group, on the agent's port.
    expect(group.ingress).toBeUndefined();
    const ingress = [...config.resources].filter(
      ([key, rule]) =>
        key.startsWith('aws_vpc_security_group_ingress_rule.') && rule.security_group_id === '${aws_security_group.kernel[0].id}',
    );
    expect(ingress.map(([key]) => key)).toEqual(['aws_vpc_security_group_ingress_rule.kernel_from_app']);
    const rule = object(ingress[0]?.[1]);
    expect(rule.referenced_security_group_id).toBe('${aws_security_group.app.id}');
    expect(rule.cidr_ipv4 ?? rule.cidr_ipv6 ?? rule.prefix_list_id).toBeUndefined();
    expect([resolve(config, rule.from_port), resolve(config, rule.to_port), rule.ip_protocol]).toEqual([8790, 8790, 'tcp']);
  },

  'IAM is written with aws_iam_policy_document, never inline JSON': (config) => {
    const resources = [config, ...config.localModules.values()].flatMap((module) => [...module.resources]);
    for (const [key, body] of resources) {
      for (const attribute of ['policy', 'assume_role_policy']) {
        if (key.startsWith('aws_iam_') && body[attribute] !== undefined) {
          expect([key, body[attribute]]).toEqual([
            key,
            expect.stringMatching(/^\$\{data\.aws_iam_policy_document\.[a-z_]+(\[0\])?\.json\}$/),
          ]);
        }
      }
    }
  },

  'no wildcard actions, and "*" resources only for actions AWS cannot scope': (config) => {
    const statements = allowStatements(config);
    expect(statements.length).toBeGreaterThan(10);
    // In a key policy the resource "*" is the key itself.
    const keyPolicies = new Set(
      [...config.resources]
        .filter(([key]) => key.startsWith('aws_kms_key.'))
        .map(([, key]) => reference(key.policy).replace(/^data\.aws_iam_policy_document\./, '').replace(/\.json$/, '')),
    );
    for (const { document, statement } of statements) {
      const actions = strings(statement.actions);
      for (const action of actions) expect({ document, action }).toEqual({ document, action: expect.not.stringContaining('*') });
      // A `for` expression over a variable (resources = [for bucket in ...]) is one opaque string: never "*".
      const resources = typeof statement.resources === 'string' ? [statement.resources] : strings(statement.resources ?? []);
      if (resources.includes('*') && !keyPolicies.has(document)) {
        for (const action of actions) expect({ document, action, required: actionsWithoutResourceTypes.has(action) }).toEqual({ document, action, required: true });
      }
      expect(statement.not_actions).toBeUndefined();
      expect(statement.not_resources).toBeUndefined();
    }
  },

  'the GitHub OIDC provider is created, or an existing one reused': (config) => {
    const provider = resource(config, 'aws_iam_openid_connect_provider.github');
    expect(provider.count).toBe('${var.create_github_oidc_provider ? 1 : 0}');
    expect(resolve(config, provider.url)).toBe('https://token.actions.githubusercontent.com');
    expect(provider.client_id_list).toEqual(['sts.amazonaws.com']);
    const existing = data(config, 'aws_iam_openid_connect_provider.github');
    expect(existing.count).toBe('${var.create_github_oidc_provider ? 0 : 1}');
    expect(only(trustStatement(config).principals)).toEqual({
      type: 'Federated',
      identifiers: ['${local.github_oidc_provider_arn}'],
    });
  },

  'the deploy role trusts only this repository, its branches and environments, with aud sts.amazonaws.com': (
    config,
  ) => {
    const statement = trustStatement(config);
    expect(statement.actions).toEqual(['sts:AssumeRoleWithWebIdentity']);
    expect(blocks(statement, 'condition')).toHaveLength(2);
    expect(condition(statement, 'token.actions.githubusercontent.com:aud')).toEqual({
      test: 'StringEquals',
      variable: 'token.actions.githubusercontent.com:aud',
      values: ['sts.amazonaws.com'],
    });
    const sub = condition(statement, 'token.actions.githubusercontent.com:sub');
    expect(sub.test).toBe('StringEquals');
    expect(sub.values).toBe('${local.github_subjects}');
    const subjects = String(config.locals.github_subjects);
    expect(subjects).toContain('"repo:${var.github_repository}:ref:refs/heads/${branch}"');
    expect(subjects).toContain('"repo:${var.github_repository}:environment:${environment}"');
    expect(subjects).not.toContain('*');
    expect(get(config.variables, 'github_branches').default).toEqual(['main']);
    expect(get(config.variables, 'github_repository').default).toBeUndefined();
  },

  'the deploy role reaches only this repository, service, bucket, distribution and the two task roles': (config) => {
    const statements = blocks(data(config, 'aws_iam_policy_document.deploy'), 'statement');
    const byAction = new Map<string, string[]>();
    for (const statement of statements) {
      for (const action of strings(statement.actions)) byAction.set(action, strings(statement.resources));
    }
    const scoped = (action: string) => byAction.get(action);
    expect(scoped('ecr:PutImage')).toEqual(['${aws_ecr_repository.app.arn}', '${aws_ecr_repository.cache.arn}']);
    expect(scoped('ecs:UpdateService')).toEqual(['${local.ecs_service_arn}']);
    expect(scoped('iam:PassRole')).toEqual(['${aws_iam_role.execution.arn}', '${aws_iam_role.task.arn}']);
    expect(scoped('s3:PutObject')).toEqual(['${module.spa_bucket.arn}/*']);
    expect(scoped('s3:DeleteObject')).toEqual(['${module.spa_bucket.arn}/*']);
    expect(moduleOutput(bucketModule(config, 'spa_bucket').module, 'arn')).toBe('${aws_s3_bucket.this.arn}');
    expect(scoped('cloudfront:CreateInvalidation')).toEqual(['${aws_cloudfront_distribution.app.arn}']);
    expect(scoped('ecs:RegisterTaskDefinition')).toEqual(['*']);
    expect([...byAction.keys()].filter((action) => action.startsWith('iam:'))).toEqual(['iam:PassRole']);
    const listTasks = statements.find((statement) => strings(statement.actions).includes('ecs:ListTasks'));
    expect(condition(listTasks as Block, 'ecs:cluster').values).toEqual(['${aws_ecs_cluster.main.arn}']);
    expect(String(config.locals.ecs_service_arn)).toMatch(
      /:service\/\$\{aws_ecs_cluster\.main\.name\}\/\$\{aws_ecs_service\.app\.name\}"?$/,
    );
  },

  'the image repository is immutable, scanned and expiring; the build cache has a mutable repository of its own': (
    config,
  ) => {
    const repository = resource(config, 'aws_ecr_repository.app');
    expect(only(repository.image_scanning_configuration).scan_on_push).toBe(true);
    // Every tag, the build cache's included: a deployed tag always names the image it named when it was deployed.
    expect(repository.image_tag_mutability).toBe('IMMUTABLE');
    const policy = String(resource(config, 'aws_ecr_lifecycle_policy.app').policy);
    expect(policy).toMatch(/countType\s*=\s*"imageCountMoreThan"/);
    expect(policy).toMatch(/countNumber\s*=\s*var\.ecr_keep_images/);
    const cache = resource(config, 'aws_ecr_repository.cache');
    expect(cache.name).not.toBe(repository.name);
    expect(cache.image_tag_mutability).toBe('MUTABLE');
    expect(resource(config, 'aws_ecr_lifecycle_policy.cache').repository).toBe('${aws_ecr_repository.cache.name}');
    expect(String(get(config.outputs, 'ecr_cache_ref').value)).toContain('${aws_ecr_repository.cache.name}');
  },
};
