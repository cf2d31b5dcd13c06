// Each structural check must fail on the mistake it guards against: the seeds' own (wrong region, http API URL
// baked into an https SPA, distribution-wide error rewrites, apply rolling back deploys, ...) and the usual
// regressions. Every case edits the real files in memory and expects the named check to throw.
import { describe, expect, it } from '@jest/globals';
import { checks } from './checks';
import { loadConfig, readTerraformFiles } from './config';

interface Mistake {
  mistake: string;
  check: string;
  file: string;
  /** Exact text that must occur once in the file, and what replaces it. */
  from: string;
  to: string;
}

const mistakes: Mistake[] = [
  {
    mistake: 'the seeds\' "London (eu-north-1)" region',
    check: 'the region is a variable defaulting to London, eu-west-2',
    file: 'variables.tf',
    from: 'default     = "eu-west-2"',
    to: 'default     = "eu-north-1"',
  },
  {
    mistake: 'a hard-coded region in the provider',
    check: 'the region is a variable defaulting to London, eu-west-2',
    file: 'providers.tf',
    from: 'region = var.aws_region',
    to: 'region = "eu-west-2"',
  },
  {
    mistake: 'a hard-coded Terraform Cloud organization',
    check: 'terraform.tf pins Terraform and the AWS provider (the only one, locked) and uses a cloud block driven by the environment',
    file: 'terraform.tf',
    from: 'cloud {}',
    to: 'cloud {\n    organization = "acme"\n  }',
  },
  {
    mistake: 'an unpinned AWS provider',
    check: 'terraform.tf pins Terraform and the AWS provider (the only one, locked) and uses a cloud block driven by the environment',
    file: 'terraform.tf',
    from: 'version = "~> 5.100"',
    to: 'version = ">= 5.0"',
  },
  {
    mistake: 'hashicorp/random back for a password (a second provider to mirror, lock and trust)',
    check: 'terraform.tf pins Terraform and the AWS provider (the only one, locked) and uses a cloud block driven by the environment',
    file: 'terraform.tf',
    from: '  required_providers {\n',
    to: '  required_providers {\n    random = {\n      source  = "hashicorp/random"\n      version = "~> 3.7"\n    }\n',
  },
  {
    mistake: 'a lock file out of step with the version constraint (init would rewrite it)',
    check: 'terraform.tf pins Terraform and the AWS provider (the only one, locked) and uses a cloud block driven by the environment',
    file: '.terraform.lock.hcl',
    from: 'constraints = "~> 5.100"',
    to: 'constraints = "~> 5.90"',
  },
  {
    mistake: 'no /api/* behaviour: the SPA calls http://<alb-dns> from an https page (mixed content)',
    check: '/api/* goes to the ALB with every method, caching disabled and all viewer headers but Host',
    file: 'frontend.tf',
    from: 'path_pattern               = "/api/*"',
    to: 'path_pattern               = "/api-disabled/*"',
  },
  {
    mistake: 'a cached API',
    check: '/api/* goes to the ALB with every method, caching disabled and all viewer headers but Host',
    file: 'frontend.tf',
    from: 'path_pattern               = "/api/*"\n    target_origin_id           = local.api_origin_id\n    viewer_protocol_policy     = "https-only"\n    allowed_methods            = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]\n    cached_methods             = ["GET", "HEAD"]\n    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_disabled.id',
    to: 'path_pattern               = "/api/*"\n    target_origin_id           = local.api_origin_id\n    viewer_protocol_policy     = "https-only"\n    allowed_methods            = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]\n    cached_methods             = ["GET", "HEAD"]\n    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_optimized.id',
  },
  {
    mistake: 'forwarding the viewer Host header to the ALB',
    check: '/api/* goes to the ALB with every method, caching disabled and all viewer headers but Host',
    file: 'frontend.tf',
    from: 'name = "Managed-AllViewerExceptHostHeader"',
    to: 'name = "Managed-AllViewer"',
  },
  {
    mistake: 'an API behaviour that only allows GET (no POST, PUT, DELETE)',
    check: '/api/* goes to the ALB with every method, caching disabled and all viewer headers but Host',
    file: 'frontend.tf',
    from: 'allowed_methods            = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]',
    to: 'allowed_methods            = ["GET", "HEAD"]',
  },
  {
    mistake: 'no /health behaviour (the SPA answers it with index.html)',
    check: '/health goes to the ALB uncached',
    file: 'frontend.tf',
    from: 'path_pattern               = local.health_path',
    to: 'path_pattern               = "/status"',
  },
  {
    mistake: 'the seeds\' distribution-wide 404 → /index.html rewrite, which also rewrites API errors',
    check: 'the SPA fallback is a CloudFront Function on the default behaviour, never a distribution-wide error rewrite',
    file: 'frontend.tf',
    from: '  restrictions {',
    to: '  custom_error_response {\n    error_code         = 404\n    response_code      = 200\n    response_page_path = "/index.html"\n  }\n\n  restrictions {',
  },
  {
    mistake: 'no SPA fallback at all (deep links give 404)',
    check: 'the SPA fallback is a CloudFront Function on the default behaviour, never a distribution-wide error rewrite',
    file: 'frontend.tf',
    from: 'event_type   = "viewer-request"',
    to: 'event_type   = "viewer-response"',
  },
  {
    mistake: 'a public SPA bucket instead of Origin Access Control',
    check: 'the SPA bucket is private and readable only by this distribution',
    file: 'modules/private-bucket/main.tf',
    from: 'block_public_policy     = true',
    to: 'block_public_policy     = false',
  },
  {
    mistake: 'an S3 origin CloudFront reads without Origin Access Control',
    check: 'the default behaviour serves the SPA from S3 through Origin Access Control',
    file: 'frontend.tf',
    from: 'origin_access_control_id = aws_cloudfront_origin_access_control.spa.id\n',
    to: '',
  },
  {
    mistake: 'no way to serve a custom domain over HTTPS',
    check: 'HTTPS on a custom domain is optional, with the default CloudFront certificate otherwise',
    file: 'frontend.tf',
    from: 'cloudfront_default_certificate = var.certificate_arn == null',
    to: 'cloudfront_default_certificate = true',
  },
  {
    mistake: 'an ALB open to the whole internet',
    check: 'the ALB admits only the CloudFront origin-facing prefix list',
    file: 'security_groups.tf',
    from: 'prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront.id',
    to: 'cidr_ipv4         = "0.0.0.0/0"',
  },
  {
    mistake: 'the ALB forwarding requests that lack the CloudFront secret',
    check: 'only requests carrying the secret CloudFront header reach the app',
    file: 'alb.tf',
    from: 'type = "fixed-response"',
    to: 'type = "forward"',
  },
  {
    mistake: 'an origin secret written into the repository, for anyone to send',
    check: 'only requests carrying the secret CloudFront header reach the app',
    file: 'frontend.tf',
    from: 'value = data.aws_secretsmanager_secret_version.origin_verify[var.origin_verify_active].secret_string',
    to: 'value = "change-me"',
  },
  {
    mistake: "the ALB's default 60 s idle timeout, which drops idle WebSockets",
    check: 'the ALB keeps WebSockets open for 300 s and health-checks /health on the app port',
    file: 'alb.tf',
    from: 'idle_timeout               = 300',
    to: 'idle_timeout               = 60',
  },
  {
    mistake: 'health checks on / (the app answers /health)',
    check: 'the ALB keeps WebSockets open for 300 s and health-checks /health on the app port',
    file: 'main.tf',
    from: 'health_path    = "/health"',
    to: 'health_path    = "/"',
  },
  {
    mistake: "the seeds' two NAT gateways by default (~$74/month)",
    check: 'the network has public and private subnets in two zones and a NAT knob defaulting to one',
    file: 'variables.tf',
    from: 'type        = bool\n  default     = true\n}\n\nvariable "container_image"',
    to: 'type        = bool\n  default     = false\n}\n\nvariable "container_image"',
  },
  {
    mistake: 'tasks in public subnets',
    check: 'the service starts with no task (deploys run its one Fargate task) in the private subnets behind the ALB',
    file: 'ecs.tf',
    from: 'subnets          = aws_subnet.private[*].id',
    to: 'subnets          = aws_subnet.public[*].id',
  },
  {
    mistake: 'two tasks whose in-memory kernels disagree',
    check: 'the service starts with no task (deploys run its one Fargate task) in the private subnets behind the ALB',
    file: 'ecs.tf',
    from: 'desired_count = 0',
    to: 'desired_count = 2',
  },
  {
    mistake: 'a first apply that starts a task on the "bootstrap" image no build pushed (ECS retries it forever)',
    check: 'the service starts with no task (deploys run its one Fargate task) in the private subnets behind the ALB',
    file: 'ecs.tf',
    from: 'desired_count = 0',
    to: 'desired_count = 1',
  },
  {
    mistake: 'terraform apply rolling the service back to its own task definition',
    check: 'deploys own what runs: the service ignores task_definition and desired_count, Terraform tracks only its revisions',
    file: 'ecs.tf',
    from: 'ignore_changes = [desired_count, task_definition]',
    to: 'ignore_changes = [desired_count]',
  },
  {
    mistake: 'terraform apply stopping the task a deploy started (back to desired count 0)',
    check: 'deploys own what runs: the service ignores task_definition and desired_count, Terraform tracks only its revisions',
    file: 'ecs.tf',
    from: 'ignore_changes = [desired_count, task_definition]',
    to: 'ignore_changes = [task_definition]',
  },
  {
    mistake: 'track_latest, which adopts the deployed revision and deregisters it on the next apply',
    check: 'deploys own what runs: the service ignores task_definition and desired_count, Terraform tracks only its revisions',
    file: 'ecs.tf',
    from: 'track_latest = false',
    to: 'track_latest = true',
  },
  {
    mistake: "ECS's default 100 / 200 deployment, which runs two kernels side by side",
    check: 'rollouts replace the single task (min 0 / max 100) with the circuit breaker rolling back',
    file: 'ecs.tf',
    from: 'deployment_maximum_percent         = 100',
    to: 'deployment_maximum_percent         = 200',
  },
  {
    mistake: 'a circuit breaker that does not roll back',
    check: 'rollouts replace the single task (min 0 / max 100) with the circuit breaker rolling back',
    file: 'ecs.tf',
    from: 'rollback = true',
    to: 'rollback = false',
  },
  {
    mistake: 'Container Insights off',
    check: 'the cluster has Container Insights',
    file: 'ecs.tf',
    from: 'value = "enabled"',
    to: 'value = "disabled"',
  },
  {
    mistake: 'the access token in plain text in the task definition',
    check: 'the task gets NOTEBOOK_BUCKET, APP_VERSION and ALLOWED_HOSTS, and ACCESS_TOKEN only from Secrets Manager',
    file: 'ecs.tf',
    from: '{ name = "APP_VERSION", value = var.app_version },',
    to: '{ name = "APP_VERSION", value = var.app_version },\n      { name = "ACCESS_TOKEN", value = "change-me" },',
  },
  {
    mistake: 'a task without NOTEBOOK_BUCKET (notebooks lost with the task)',
    check: 'the task gets NOTEBOOK_BUCKET, APP_VERSION and ALLOWED_HOSTS, and ACCESS_TOKEN only from Secrets Manager',
    file: 'ecs.tf',
    from: '{ name = "NOTEBOOK_BUCKET", value = module.notebook_bucket.bucket },',
    to: '',
  },
  {
    mistake: 'the generated token stored in state through secret_string',
    check: 'the access token is generated and written write-only: never in the plan, the state or the task definition',
    file: 'secrets.tf',
    from: 'secret_string_wo         = ephemeral.aws_secretsmanager_random_password.access_token.random_password',
    to: 'secret_string            = ephemeral.aws_secretsmanager_random_password.access_token.random_password',
  },
  {
    mistake: 'the token generated by a resource, which keeps it in the state',
    check: 'the access token is generated and written write-only: never in the plan, the state or the task definition',
    file: 'secrets.tf',
    from: 'ephemeral "aws_secretsmanager_random_password" "access_token" {',
    to: 'data "aws_secretsmanager_random_password" "access_token" {',
  },
  {
    mistake: 'the token read back into the state, as the origin secret is',
    check: 'the access token is generated and written write-only: never in the plan, the state or the task definition',
    file: 'secrets.tf',
    from: '# CloudFront sends one of these values',
    to: 'data "aws_secretsmanager_secret_version" "access_token" {\n  secret_id = aws_secretsmanager_secret.access_token.id\n}\n\n# CloudFront sends one of these values',
  },
  {
    mistake: 'an unversioned notebook bucket',
    check: 'notebooks live in a versioned, encrypted, private, TLS-only bucket',
    file: 'modules/private-bucket/main.tf',
    from: 'status = "Enabled"\n  }\n}\n\nresource "aws_s3_bucket_server_side_encryption_configuration" "this"',
    to: 'status = "Suspended"\n  }\n}\n\nresource "aws_s3_bucket_server_side_encryption_configuration" "this"',
  },
  {
    mistake: 'a notebook bucket encrypted with SSE-S3 instead of KMS',
    check: 'notebooks live in a versioned, encrypted, private, TLS-only bucket',
    file: 'notebooks.tf',
    from: 'sse_algorithm                          = "aws:kms"',
    to: 'sse_algorithm                          = "AES256"',
  },
  {
    mistake: 'notebook versions kept for a fixed time instead of notebook_version_retention_days',
    check: 'notebooks live in a versioned, encrypted, private, TLS-only bucket',
    file: 'notebooks.tf',
    from: 'noncurrent_version_retention_days      = var.notebook_version_retention_days',
    to: 'noncurrent_version_retention_days      = 30',
  },
  {
    mistake: 'a bucket policy without the TLS-only deny',
    check: 'notebooks live in a versioned, encrypted, private, TLS-only bucket',
    file: 'modules/private-bucket/main.tf',
    from: 'variable = "aws:SecureTransport"',
    to: 'variable = "aws:SourceIp"',
  },
  {
    mistake: 'a notebook bucket hardened by hand instead of by modules/private-bucket',
    check: 'notebooks live in a versioned, encrypted, private, TLS-only bucket',
    file: 'notebooks.tf',
    from: 'source = "./modules/private-bucket"',
    to: 'source = "./modules/bucket"',
  },
  {
    mistake: 'a KMS-encrypted SPA bucket, whose objects CloudFront (Origin Access Control) cannot read',
    check: 'the SPA bucket is private and readable only by this distribution',
    file: 'frontend.tf',
    from: 'sse_algorithm = "AES256"',
    to: 'sse_algorithm = "aws:kms"',
  },
  {
    mistake: 'an SPA bucket policy without CloudFront\'s statements (every read a 403)',
    check: 'the SPA bucket is private and readable only by this distribution',
    file: 'frontend.tf',
    from: 'source_policy_documents                = [data.aws_iam_policy_document.spa_bucket.json]',
    to: 'source_policy_documents                = []',
  },
  {
    mistake: 'a module bucket policy that drops the caller\'s statements',
    check: 'the SPA bucket is private and readable only by this distribution',
    file: 'modules/private-bucket/main.tf',
    from: '  source_policy_documents = var.source_policy_documents\n',
    to: '',
  },
  {
    mistake: 'a bucket resource moved into the module without its moved block (destroyed and created again)',
    check: 'the buckets keep their state: a moved block takes each of their resources into its module',
    file: 'notebooks.tf',
    from: 'moved {\n  from = aws_s3_bucket.notebooks\n  to   = module.notebook_bucket.aws_s3_bucket.this\n}\n',
    to: '',
  },
  {
    mistake: 'a moved block filed away from the module call it moves into',
    check: 'the buckets keep their state: a moved block takes each of their resources into its module',
    file: 'notebooks.tf',
    from: 'to   = module.notebook_bucket.aws_s3_bucket_policy.this',
    to: 'to   = module.spa_bucket.aws_s3_bucket_policy.this',
  },
  {
    mistake: 'a task role that reaches every bucket',
    check: 'the task role may read and write the notebook bucket and nothing else',
    file: 'iam.tf',
    from: 'resources = ["${module.notebook_bucket.arn}/*"]',
    to: 'resources = ["arn:aws:s3:::*/*"]',
  },
  {
    mistake: 'a kernel role that the whole account may assume',
    check: "the kernel role is the task role's alone to assume (and ECS's for kernel tasks), with no inline policy but reading kernel_data_buckets",
    file: 'iam.tf',
    from: 'identifiers = [aws_iam_role.task.arn]',
    to: 'identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]',
  },
  {
    mistake: 'kernel data buckets that notebook cells may also write to',
    check: "the kernel role is the task role's alone to assume (and ECS's for kernel tasks), with no inline policy but reading kernel_data_buckets",
    file: 'iam.tf',
    from: 'actions   = ["s3:GetObject"]',
    to: 'actions   = ["s3:GetObject", "s3:PutObject"]',
  },
  {
    mistake: 'a task role that may assume any role',
    check: "the kernel role is the task role's alone to assume (and ECS's for kernel tasks), with no inline policy but reading kernel_data_buckets",
    file: 'iam.tf',
    from: 'resources = [aws_iam_role.kernel.arn]',
    to: 'resources = ["arn:${local.partition}:iam::${local.account_id}:role/*"]',
  },
  {
    mistake: 'a kernel agent reachable from the whole VPC',
    check: 'kernel tasks run as the kernel role and admit the app\'s security group alone, only with kernel_launcher = "ecs"',
    file: 'kernels.tf',
    from: 'referenced_security_group_id = aws_security_group.app.id',
    to: 'cidr_ipv4                    = "10.0.0.0/16"',
  },
  {
    mistake: "kernel tasks running with the server's task role",
    check: 'kernel tasks run as the kernel role and admit the app\'s security group alone, only with kernel_launcher = "ecs"',
    file: 'kernels.tf',
    from: 'task_role_arn = aws_iam_role.kernel.arn',
    to: 'task_role_arn = aws_iam_role.task.arn',
  },
  {
    mistake: 'an inline JSON policy',
    check: 'IAM is written with aws_iam_policy_document, never inline JSON',
    file: 'iam.tf',
    from: 'policy = data.aws_iam_policy_document.task.json',
    to: 'policy = jsonencode({ Version = "2012-10-17", Statement = [] })',
  },
  {
    mistake: 'a wildcard action',
    check: 'no wildcard actions, and "*" resources only for actions AWS cannot scope',
    file: 'github_oidc.tf',
    from: 'actions   = ["ecs:DescribeServices", "ecs:UpdateService"]',
    to: 'actions   = ["ecs:*"]',
  },
  {
    mistake: 'a scopeable action granted on "*"',
    check: 'no wildcard actions, and "*" resources only for actions AWS cannot scope',
    file: 'github_oidc.tf',
    from: '"ecs:RegisterTaskDefinition",\n    ]',
    to: '"ecs:RegisterTaskDefinition",\n      "ecs:UpdateService",\n    ]',
  },
  {
    mistake: 'a trust policy without the audience condition',
    check: 'the deploy role trusts only this repository, its branches and environments, with aud sts.amazonaws.com',
    file: 'github_oidc.tf',
    from: 'variable = "token.actions.githubusercontent.com:aud"',
    to: 'variable = "token.actions.githubusercontent.com:azp"',
  },
  {
    mistake: 'a trust policy that any branch or fork-named ref matches',
    check: 'the deploy role trusts only this repository, its branches and environments, with aud sts.amazonaws.com',
    file: 'github_oidc.tf',
    from: 'test     = "StringEquals"\n      variable = "token.actions.githubusercontent.com:sub"',
    to: 'test     = "StringLike"\n      variable = "token.actions.githubusercontent.com:sub"',
  },
  {
    mistake: 'PassRole on every role',
    check: 'the deploy role reaches only this repository, service, bucket, distribution and the two task roles',
    file: 'github_oidc.tf',
    from: 'resources = [aws_iam_role.execution.arn, aws_iam_role.task.arn]',
    to: 'resources = ["arn:aws:iam::123456789012:role/*"]',
  },
  {
    mistake: 'always creating the OIDC provider (fails where the account has one)',
    check: 'the GitHub OIDC provider is created, or an existing one reused',
    file: 'github_oidc.tf',
    from: 'count = var.create_github_oidc_provider ? 1 : 0\n',
    to: '',
  },
  {
    mistake: 'a module pinning another AWS provider than the root (a second lock entry)',
    check: 'terraform.tf pins Terraform and the AWS provider (the only one, locked) and uses a cloud block driven by the environment',
    file: 'modules/private-bucket/versions.tf',
    from: 'version = "~> 5.100"',
    to: 'version = ">= 5.0"',
  },
  {
    mistake: 'an unvalidated module input',
    check: 'every variable is typed and described, and restricted ones are validated',
    file: 'modules/private-bucket/variables.tf',
    from: '  validation {\n    condition     = contains(["aws:kms", "AES256"], var.sse_algorithm)\n    error_message = "The sse_algorithm must be \\"aws:kms\\" or \\"AES256\\"."\n  }\n',
    to: '',
  },
  {
    mistake: 'an undescribed module input',
    check: 'every variable is typed and described, and restricted ones are validated',
    file: 'modules/private-bucket/variables.tf',
    from: '  description = "Name of the bucket (globally unique; the callers add the account ID and the Region)."\n',
    to: '',
  },
  {
    mistake: 'an undescribed variable',
    check: 'every variable is typed and described, and restricted ones are validated',
    file: 'variables.tf',
    from: 'description = "Extra tags for every resource (merged over Project, Repository and ManagedBy)."\n',
    to: '',
  },
  {
    mistake: 'an unvalidated restricted variable',
    check: 'every variable is typed and described, and restricted ones are validated',
    file: 'variables.tf',
    from: '  validation {\n    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.cloudfront_price_class)\n    error_message = "The cloudfront_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."\n  }\n',
    to: '',
  },
  {
    mistake: 'a missing output the deploy workflow reads',
    check: 'every output the later stages need is present and described',
    file: 'outputs.tf',
    from: 'output "deploy_role_arn" {',
    to: 'output "role_arn" {',
  },
  {
    mistake: 'no scanning of the images that run',
    check: 'the image repository is immutable, scanned and expiring; the build cache has a mutable repository of its own',
    file: 'ecr.tf',
    from: 'scan_on_push = true',
    to: 'scan_on_push = false',
  },
  {
    mistake: 'mutable image tags: a deployed tag may name another image later',
    check: 'the image repository is immutable, scanned and expiring; the build cache has a mutable repository of its own',
    file: 'ecr.tf',
    from: 'image_tag_mutability = "IMMUTABLE"',
    to: 'image_tag_mutability = "MUTABLE"',
  },
  {
    mistake: 'the build cache as a tag of the immutable image repository (written once, never refreshed)',
    check: 'the image repository is immutable, scanned and expiring; the build cache has a mutable repository of its own',
    file: 'outputs.tf',
    from: 'value       = "${aws_ecr_repository.cache.name}:buildcache"',
    to: 'value       = "${aws_ecr_repository.app.name}:buildcache"',
  },
  {
    mistake: 'deploys rendered from the running revision, so task settings changed in Terraform never reach the service',
    check: 'every output the later stages need is present and described',
    file: 'outputs.tf',
    from: 'value       = aws_ecs_task_definition.app.arn',
    to: 'value       = aws_ecs_service.app.task_definition',
  },
  {
    mistake: 'the OIDC client secret in the task\'s plain environment, for anyone who may describe the task definition',
    check: 'secrets reach the task only from Secrets Manager, never its plain environment; sign-in adds its two only when on',
    file: 'ecs.tf',
    from: '{ name = "OIDC_CLIENT_ID", value = var.oidc_client_id },',
    to: '{ name = "OIDC_CLIENT_ID", value = var.oidc_client_id },\n    { name = "OIDC_CLIENT_SECRET", value = var.oidc_client_secret },',
  },
  {
    mistake: 'the session secret read back into a plain variable of the task',
    check: 'secrets reach the task only from Secrets Manager, never its plain environment; sign-in adds its two only when on',
    file: 'ecs.tf',
    from: '{ name = "OIDC_ISSUER", value = var.oidc_issuer },',
    to: '{ name = "OIDC_ISSUER", value = var.oidc_issuer },\n    { name = "SESSION_KEY", value = ephemeral.aws_secretsmanager_random_password.session_secret[0].random_password },',
  },
  {
    mistake: 'sign-in secrets injected with sign-in off (the task fails to start: no such secret)',
    check: 'secrets reach the task only from Secrets Manager, never its plain environment; sign-in adds its two only when on',
    file: 'ecs.tf',
    from: '    local.sign_in ? [\n      { name = "OIDC_CLIENT_SECRET"',
    to: '    true ? [\n      { name = "OIDC_CLIENT_SECRET"',
  },
  {
    mistake: 'an execution role that cannot read the sign-in secrets (the task never starts)',
    check: 'secrets reach the task only from Secrets Manager, never its plain environment; sign-in adds its two only when on',
    file: 'iam.tf',
    from: 'resources = local.app_secrets[*].valueFrom',
    to: 'resources = [aws_secretsmanager_secret.access_token.arn]',
  },
  {
    mistake: 'the OIDC client secret stored in the state through secret_string',
    check: 'sign-in secrets are written write-only: the client secret from an ephemeral variable, the session secret generated',
    file: 'secrets.tf',
    from: 'secret_string_wo         = var.oidc_client_secret',
    to: 'secret_string            = var.oidc_client_secret',
  },
  {
    mistake: 'a client secret variable that is not ephemeral (kept in saved plans)',
    check: 'sign-in secrets are written write-only: the client secret from an ephemeral variable, the session secret generated',
    file: 'variables.tf',
    from: '  sensitive   = true\n  ephemeral   = true\n',
    to: '  sensitive   = true\n',
  },
  {
    mistake: 'a short session secret (the backend refuses fewer than 32 characters)',
    check: 'sign-in secrets are written write-only: the client secret from an ephemeral variable, the session secret generated',
    file: 'secrets.tf',
    from: '  password_length     = 64\n',
    to: '  password_length     = 16\n',
  },
  {
    mistake: 'sign-in on by default, for every existing deployment',
    check: 'sign-in is off unless oidc_issuer is an https URL, and the task learns the public URL without a dependency cycle',
    file: 'variables.tf',
    from: '  type        = string\n  default     = ""\n\n  validation {\n    condition     = var.oidc_issuer == "" || can(regex(',
    to: '  type        = string\n  default     = "https://accounts.google.com"\n\n  validation {\n    condition     = var.oidc_issuer == "" || can(regex(',
  },
  {
    mistake: 'an issuer that may be plain http (codes and tokens in clear text)',
    check: 'sign-in is off unless oidc_issuer is an https URL, and the task learns the public URL without a dependency cycle',
    file: 'variables.tf',
    from: 'can(regex("^(https://[a-z0-9.-]+',
    to: 'can(regex("^(https?://[a-z0-9.-]+',
  },
  {
    mistake: 'an issuer accepted without a client ID (the task fails at start instead of the plan)',
    check: 'sign-in is off unless oidc_issuer is an https URL, and the task learns the public URL without a dependency cycle',
    file: 'variables.tf',
    from: 'condition     = var.oidc_issuer == "" || trimspace(var.oidc_client_id) != ""',
    to: 'condition     = trimspace(var.oidc_client_id) == var.oidc_client_id',
  },
  {
    mistake: 'the OIDC settings given with sign-in off',
    check: 'sign-in is off unless oidc_issuer is an https URL, and the task learns the public URL without a dependency cycle',
    file: 'ecs.tf',
    from: 'sign_in_environment = local.sign_in ? [',
    to: 'sign_in_environment = true ? [',
  },
  {
    mistake: 'the ALB\'s callback registered instead of the app\'s',
    check: 'sign-in is off unless oidc_issuer is an https URL, and the task learns the public URL without a dependency cycle',
    file: 'outputs.tf',
    from: 'value       = "${local.public_url}/api/auth/callback"',
    to: 'value       = "${local.public_url}/oauth2/idpresponse"',
  },
  {
    mistake: 'a distribution that depends on the task definition, which depends on it (a cycle)',
    check: 'sign-in is off unless oidc_issuer is an https URL, and the task learns the public URL without a dependency cycle',
    file: 'frontend.tf',
    from: 'comment             = "${var.name}: SPA from S3, /api/* and /health from the ALB"',
    to: 'comment             = "${var.name}: ${aws_ecs_task_definition.app.arn}"',
  },
  {
    mistake: 'a task role that may delete the audit log',
    check: 'the audit log is a group of its own the task role may append to and read, never erase',
    file: 'audit.tf',
    from: '      "logs:CreateLogStream",\n      "logs:DescribeLogStreams",',
    to: '      "logs:CreateLogStream",\n      "logs:DeleteLogGroup",\n      "logs:DescribeLogStreams",',
  },
  {
    mistake: 'the audit permissions on every log group of the account',
    check: 'the audit log is a group of its own the task role may append to and read, never erase',
    file: 'audit.tf',
    from: 'resources = [aws_cloudwatch_log_group.audit.arn, "${aws_cloudwatch_log_group.audit.arn}:*"]\n  }\n\n  # Nothing',
    to: 'resources = ["*"]\n  }\n\n  # Nothing',
  },
  {
    mistake: 'no deny of shortening the retention: a policy attached later could expire the audit trail',
    check: 'the audit log is a group of its own the task role may append to and read, never erase',
    file: 'audit.tf',
    from: '      "logs:PutRetentionPolicy",\n',
    to: '',
  },
  {
    mistake: 'the audit log written to the app\'s log group (30 days, and ECS writes there too)',
    check: 'the audit log is a group of its own the task role may append to and read, never erase',
    file: 'ecs.tf',
    from: '{ name = "AUDIT_LOG_GROUP", value = aws_cloudwatch_log_group.audit.name },',
    to: '{ name = "AUDIT_LOG_GROUP", value = aws_cloudwatch_log_group.app.name },',
  },
  {
    mistake: 'the audit log kept only as long as the app\'s logs',
    check: 'the audit log is a group of its own the task role may append to and read, never erase',
    file: 'audit.tf',
    from: 'retention_in_days = var.audit_log_retention_days',
    to: 'retention_in_days = var.log_retention_days',
  },
  {
    mistake: 'a CloudWatch Logs grant slipped into the task role\'s notebook policy',
    check: 'the audit log is a group of its own the task role may append to and read, never erase',
    file: 'iam.tf',
    from: 'actions   = ["s3:ListBucket", "s3:ListBucketVersions"]',
    to: 'actions   = ["s3:ListBucket", "s3:ListBucketVersions", "logs:FilterLogEvents"]',
  },
  {
    mistake: 'the audit group left unencrypted when the app\'s logs use a key',
    check: 'the audit log is a group of its own the task role may append to and read, never erase',
    file: 'ecs.tf',
    from: '  retention_in_days = var.log_retention_days\n',
    to: '  retention_in_days = var.log_retention_days\n  kms_key_id        = aws_kms_key.alarms.arn\n',
  },
];

const original = readTerraformFiles();

describe('each structural check fails on the mistake it guards against', () => {
  it('covers every check', () => {
    const covered = new Set(mistakes.map((mistake) => mistake.check));
    const uncovered = Object.keys(checks).filter((name) => !covered.has(name));
    expect(uncovered).toEqual(['files are split by domain as the style guide says']);
  });

  it.each(mistakes)('$mistake', async ({ check, file, from, to }) => {
    const text = original.get(file);
    expect(text?.split(from).length).toBe(2);
    const files = new Map(original);
    files.set(file, (text as string).replace(from, to));
    const run = checks[check];
    expect(run).toBeDefined();
    const mutated = await loadConfig(files);
    expect(() => run?.(mutated)).toThrow();
  });

  it('catches a resource filed under the wrong domain', async () => {
    const files = new Map(original);
    const ecr = original.get('ecr.tf') as string;
    files.delete('ecr.tf');
    files.set('variables.tf', `${original.get('variables.tf')}\n${ecr}`);
    files.set('alb.tf', `${original.get('alb.tf')}\nvariable "stray" {\n  type        = string\n  description = "A variable outside variables.tf."\n}\n`);
    const mutated = await loadConfig(files);
    expect(() => checks['files are split by domain as the style guide says']?.(mutated)).toThrow();
  });
});
