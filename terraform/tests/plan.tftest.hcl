# The decisions that matter, asserted on real plans: same-origin routing, the SPA fallback, the single task started
# by deploys, the OIDC trust, private TLS-only buckets, the image and cache repositories, the kernel role, the
# container's isolation, sign-in's secrets and settings, the audit log's policy, and the validations that stop real
# mistakes. One file, because a test file's overrides are
# its own and these are needed by every run. Offline: the real provider with fake credentials, every data source that would call AWS
# overridden below, and AWS_ENDPOINT_URL pointing at tests/offline-aws.mjs for the one call left (see there). Run
# them with `npm test -- terraform-test`, which starts that endpoint.

provider "aws" {
  region                      = "eu-west-2"
  access_key                  = "offline"
  secret_key                  = "offline"
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
}

variables {
  github_repository      = "octo-org/notebook-ship"
  origin_domain_name     = "origin.notebooks.example.com"
  origin_certificate_arn = "arn:aws:acm:eu-west-2:123456789012:certificate/7c3a9e21-1234-4bcd-9abc-0123456789ab"
}

override_data {
  target = data.aws_caller_identity.current
  values = { account_id = "123456789012" }
}

override_data {
  target = data.aws_availability_zones.available
  values = { names = ["eu-west-2a", "eu-west-2b", "eu-west-2c"] }
}

override_data {
  target = data.aws_ec2_managed_prefix_list.cloudfront
  values = { id = "pl-93a247fa" }
}

# The managed policies' real IDs, so that an assertion naming one means that policy.
override_data {
  target = data.aws_cloudfront_cache_policy.caching_optimized
  values = { id = "658327ea-f89d-4fab-a63d-7e88639e58f6" }
}

override_data {
  target = data.aws_cloudfront_cache_policy.caching_disabled
  values = { id = "4135ea2d-6df8-44a3-9df3-4b5a84be39ad" }
}

override_data {
  target = data.aws_cloudfront_origin_request_policy.all_viewer_except_host
  values = { id = "b689b0a8-53d0-40ab-baf2-68738e2966ac" }
}

override_data {
  target = data.aws_cloudfront_response_headers_policy.security_headers
  values = { id = "67f7725c-6f97-4210-82d7-5512b31e9d03" }
}

override_data {
  target = data.aws_iam_openid_connect_provider.github
  values = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
}

# Attributes AWS assigns on create, known at plan here so that the policies and origins built from them are too.
override_resource {
  target          = aws_iam_openid_connect_provider.github
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
}

override_resource {
  target          = aws_ecr_repository.app
  override_during = plan
  values = {
    arn            = "arn:aws:ecr:eu-west-2:123456789012:repository/notebook-ship"
    repository_url = "123456789012.dkr.ecr.eu-west-2.amazonaws.com/notebook-ship"
  }
}

override_resource {
  target          = aws_secretsmanager_secret.access_token
  override_during = plan
  values          = { arn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/access-token-AbCdEf" }
}

# Sign-in's secrets and the audit log group, so that the task definition and the audit policy are known at plan.
override_resource {
  target          = aws_secretsmanager_secret.oidc_client_secret
  override_during = plan
  values          = { arn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/oidc-client-secret-GhIjKl" }
}

override_resource {
  target          = aws_secretsmanager_secret.session_secret
  override_during = plan
  values          = { arn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/session-secret-MnOpQr" }
}

override_resource {
  target          = aws_cloudwatch_log_group.audit
  override_during = plan
  values          = { arn = "arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/notebook-ship/audit" }
}

override_resource {
  target          = aws_lb.app
  override_during = plan
  values = {
    arn      = "arn:aws:elasticloadbalancing:eu-west-2:123456789012:loadbalancer/app/notebook-ship/50dc6c495c0c9188"
    dns_name = "notebook-ship-1234567890.eu-west-2.elb.amazonaws.com"
  }
}

override_resource {
  target          = module.spa_bucket.aws_s3_bucket.this
  override_during = plan
  values = {
    arn                         = "arn:aws:s3:::notebook-ship-spa-123456789012-eu-west-2"
    bucket_regional_domain_name = "notebook-ship-spa-123456789012-eu-west-2.s3.eu-west-2.amazonaws.com"
  }
}

override_resource {
  target          = module.notebook_bucket.aws_s3_bucket.this
  override_during = plan
  values          = { arn = "arn:aws:s3:::notebook-ship-notebooks-123456789012-eu-west-2" }
}

# The task role's too, so that the kernel role's trust and the task role's policy are known at plan.
override_resource {
  target          = aws_iam_role.task
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/notebook-ship-ecs-task", id = "notebook-ship-ecs-task" }
}

# The task definition names the kernel role (KERNEL_ROLE_ARN).
override_resource {
  target          = aws_iam_role.kernel
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/notebook-ship-kernel", id = "notebook-ship-kernel" }
}

override_resource {
  target          = aws_cloudfront_distribution.app
  override_during = plan
  values = {
    arn         = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
    domain_name = "d111111abcdef8.cloudfront.net"
  }
}

# What kernel tasks (kernel_launcher = "ecs") and the server's environment name, known at plan like the ARNs above.
override_resource {
  target          = aws_ecs_cluster.main
  override_during = plan
  values          = { arn = "arn:aws:ecs:eu-west-2:123456789012:cluster/notebook-ship" }
}

override_resource {
  target          = aws_iam_role.execution
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/notebook-ship-ecs-execution", id = "notebook-ship-ecs-execution" }
}

override_resource {
  target          = aws_security_group.app
  override_during = plan
  values          = { id = "sg-0app0000000000000" }
}

override_resource {
  target          = aws_security_group.kernel
  override_during = plan
  values          = { id = "sg-0kernel000000000" }
}

override_resource {
  target          = aws_subnet.private[0]
  override_during = plan
  values          = { id = "subnet-0private0a00000" }
}

override_resource {
  target          = aws_subnet.private[1]
  override_during = plan
  values          = { id = "subnet-0private0b00000" }
}

run "api_and_health_share_the_spa_origin" {
  command = plan

  assert {
    condition     = toset([for behaviour in aws_cloudfront_distribution.app.ordered_cache_behavior : behaviour.path_pattern]) == toset(["/api/*", "/health"])
    error_message = "/api/* and /health must have behaviours of their own (the SPA origin answers everything else)."
  }

  assert {
    condition = alltrue([
      for behaviour in aws_cloudfront_distribution.app.ordered_cache_behavior : alltrue([
        for origin in aws_cloudfront_distribution.app.origin :
        origin.domain_name == "origin.notebooks.example.com" && length(origin.custom_origin_config) == 1
        if origin.origin_id == behaviour.target_origin_id
      ])
    ])
    error_message = "/api/* and /health must go to the ALB origin."
  }

  assert {
    condition     = toset(one([for behaviour in aws_cloudfront_distribution.app.ordered_cache_behavior : behaviour.allowed_methods if behaviour.path_pattern == "/api/*"])) == toset(["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"])
    error_message = "/api/* must allow every method (the API writes with POST, PUT, PATCH and DELETE)."
  }

  assert {
    condition = alltrue([
      for behaviour in aws_cloudfront_distribution.app.ordered_cache_behavior :
      behaviour.cache_policy_id == data.aws_cloudfront_cache_policy.caching_disabled.id
      && behaviour.origin_request_policy_id == data.aws_cloudfront_origin_request_policy.all_viewer_except_host.id
    ])
    error_message = "/api/* and /health must not be cached, and must forward every viewer header but Host."
  }

  assert {
    condition = alltrue([
      for origin in aws_cloudfront_distribution.app.origin :
      origin.domain_name == module.spa_bucket.bucket_regional_domain_name
      if origin.origin_id == aws_cloudfront_distribution.app.default_cache_behavior[0].target_origin_id
    ])
    error_message = "Everything else must come from the SPA bucket."
  }

  assert {
    condition     = output.app_url == "https://d111111abcdef8.cloudfront.net"
    error_message = "The app URL must be the distribution's, which serves the SPA and the API alike."
  }

  assert {
    condition     = [for origin in aws_cloudfront_distribution.app.origin : [for header in origin.custom_header : header.name] if origin.origin_id == local.api_origin_id] == [["X-Origin-Verify"]]
    error_message = "CloudFront must send the secret X-Origin-Verify header to the ALB."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.alb_from_cloudfront.prefix_list_id == "pl-93a247fa" && aws_vpc_security_group_ingress_rule.alb_from_cloudfront.cidr_ipv4 == null
    error_message = "The ALB must admit CloudFront's origin-facing prefix list only."
  }

  assert {
    condition     = aws_lb_listener.https.default_action[0].fixed_response[0].status_code == "403"
    error_message = "The ALB must refuse requests without the secret header."
  }
}

run "spa_fallback_only_on_the_default_behaviour" {
  command = plan

  assert {
    condition     = [for association in aws_cloudfront_distribution.app.default_cache_behavior[0].function_association : association.event_type] == ["viewer-request"]
    error_message = "The SPA fallback must run on viewer requests of the default (S3) behaviour."
  }

  assert {
    condition     = alltrue([for behaviour in aws_cloudfront_distribution.app.ordered_cache_behavior : length(behaviour.function_association) == 0])
    error_message = "No API behaviour may rewrite paths to /index.html."
  }

  assert {
    condition     = length(aws_cloudfront_distribution.app.custom_error_response) == 0
    error_message = "A distribution-wide custom_error_response would turn API errors into index.html."
  }
}

run "one_task_started_by_the_deploys" {
  command = plan

  assert {
    condition     = aws_ecs_service.app.desired_count == 0
    error_message = "The service must be created without a task: its first revision names an image no build pushed."
  }

  assert {
    condition     = aws_ecs_service.app.deployment_minimum_healthy_percent == 0 && aws_ecs_service.app.deployment_maximum_percent == 100
    error_message = "Deployments must replace the single task (min 0 / max 100), never run two kernels side by side."
  }

  assert {
    condition     = aws_ecs_service.app.deployment_circuit_breaker[0].enable && aws_ecs_service.app.deployment_circuit_breaker[0].rollback
    error_message = "The circuit breaker must roll back a failed rollout."
  }

  assert {
    condition     = aws_ecs_task_definition.app.track_latest == false
    error_message = "Terraform must track only its own revisions, never the one a deploy registered."
  }

  assert {
    condition     = [for secret in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].secrets : secret.name] == ["ACCESS_TOKEN"] && !contains([for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.name], "ACCESS_TOKEN")
    error_message = "ACCESS_TOKEN must come from Secrets Manager, never from the task's environment."
  }

  assert {
    condition     = aws_secretsmanager_secret_version.access_token.secret_string_wo == null && aws_secretsmanager_secret_version.access_token.secret_string == null
    error_message = "The access token must be written write-only: never in the plan."
  }
}

run "oidc_trust_bound_to_the_repository_branches_and_environments" {
  command = plan

  variables {
    github_branches     = ["main", "release"]
    github_environments = ["production", "staging"]
  }

  assert {
    condition     = length(jsondecode(aws_iam_role.deploy.assume_role_policy).Statement) == 1
    error_message = "The deploy role's trust must be the single GitHub statement."
  }

  assert {
    condition     = jsondecode(aws_iam_role.deploy.assume_role_policy).Statement[0].Action == "sts:AssumeRoleWithWebIdentity" && jsondecode(aws_iam_role.deploy.assume_role_policy).Statement[0].Principal.Federated == aws_iam_openid_connect_provider.github[0].arn
    error_message = "Only GitHub's OIDC provider may assume the deploy role."
  }

  assert {
    condition     = keys(jsondecode(aws_iam_role.deploy.assume_role_policy).Statement[0].Condition) == ["StringEquals"]
    error_message = "The trust must compare exactly (StringEquals), never with wildcards (StringLike)."
  }

  assert {
    condition     = try(jsondecode(aws_iam_role.deploy.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:aud"], null) == "sts.amazonaws.com"
    error_message = "The token's audience must be sts.amazonaws.com."
  }

  assert {
    condition = toset(try(jsondecode(aws_iam_role.deploy.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"], [])) == toset([
      "repo:octo-org/notebook-ship:ref:refs/heads/main",
      "repo:octo-org/notebook-ship:ref:refs/heads/release",
      "repo:octo-org/notebook-ship:environment:production",
      "repo:octo-org/notebook-ship:environment:staging",
    ])
    error_message = "The deploy role must trust exactly this repository's given branches and environments."
  }
}

run "an_existing_oidc_provider_is_reused" {
  command = plan

  variables {
    create_github_oidc_provider = false
    github_environments         = []
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0
    error_message = "An account holds one provider per URL: the existing one must not be created again."
  }

  assert {
    condition     = jsondecode(aws_iam_role.deploy.assume_role_policy).Statement[0].Principal.Federated == data.aws_iam_openid_connect_provider.github[0].arn
    error_message = "The deploy role must trust the existing provider."
  }

  assert {
    condition     = try(jsondecode(aws_iam_role.deploy.assume_role_policy).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"], null) == "repo:octo-org/notebook-ship:ref:refs/heads/main"
    error_message = "Without environments only the main branch may assume the deploy role."
  }
}

# Both buckets are modules/private-bucket, whose hardening the private_bucket_* runs below assert on the module
# itself. Here: the SPA bucket's own statements, which its bucket policy holds besides the module's TLS-only deny.
# (The bucket policies' JSON is only known at apply, as their documents depend on the buckets being created.)
run "spa_bucket_readable_only_by_this_distribution" {
  command = plan

  assert {
    condition = alltrue(flatten([
      for statement in data.aws_iam_policy_document.spa_bucket.statement : [
        for principal in statement.principals : principal.type == "Service" && principal.identifiers == toset(["cloudfront.amazonaws.com"])
        && anytrue([for condition in statement.condition : condition.variable == "AWS:SourceArn" && condition.values == tolist([aws_cloudfront_distribution.app.arn])])
      ] if statement.effect == "Allow"
    ]))
    error_message = "Only this distribution may read the SPA bucket."
  }

  assert {
    condition     = alltrue([for statement in data.aws_iam_policy_document.spa_bucket.statement : alltrue([for resource in statement.resources : startswith(resource, "arn:aws:s3:::notebook-ship-spa-123456789012-eu-west-2")])])
    error_message = "The SPA bucket's statements must be about the SPA bucket."
  }

  assert {
    condition     = output.spa_bucket_name == "notebook-ship-spa-123456789012-eu-west-2" && output.notebook_bucket_name == "notebook-ship-notebooks-123456789012-eu-west-2"
    error_message = "The buckets keep their names: a renamed bucket is a new, empty one."
  }
}

# The module alone, every resource overridden so that apply calls no AWS: its policy document is then computed, and
# the JSON the bucket policy gets can be read.
run "private_bucket_is_private_versioned_encrypted_and_tls_only" {
  command = apply
  # State of its own: the plan-only runs of the module below must not refresh these overridden resources.
  state_key = "private_bucket_overridden"

  module {
    source = "./modules/private-bucket"
  }

  variables {
    bucket                            = "example-notebooks-123456789012-eu-west-2"
    noncurrent_version_retention_days = 90
    source_policy_documents = [jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid       = "CallerGrant"
        Effect    = "Allow"
        Action    = "s3:GetObject"
        Resource  = "arn:aws:s3:::example-notebooks-123456789012-eu-west-2/*"
        Principal = { Service = "cloudfront.amazonaws.com" }
      }]
    })]
  }

  override_resource {
    target = aws_s3_bucket.this
    values = { arn = "arn:aws:s3:::example-notebooks-123456789012-eu-west-2", id = "example-notebooks-123456789012-eu-west-2" }
  }
  override_resource {
    target = aws_s3_bucket_versioning.this
  }
  override_resource {
    target = aws_s3_bucket_server_side_encryption_configuration.this
  }
  override_resource {
    target = aws_s3_bucket_public_access_block.this
  }
  override_resource {
    target = aws_s3_bucket_ownership_controls.this
  }
  override_resource {
    target = aws_s3_bucket_lifecycle_configuration.this
  }
  override_resource {
    target = aws_s3_bucket_policy.this
  }

  assert {
    condition     = aws_s3_bucket_public_access_block.this.block_public_acls && aws_s3_bucket_public_access_block.this.block_public_policy && aws_s3_bucket_public_access_block.this.ignore_public_acls && aws_s3_bucket_public_access_block.this.restrict_public_buckets
    error_message = "The bucket must block every kind of public access."
  }

  assert {
    condition     = aws_s3_bucket_ownership_controls.this.rule[0].object_ownership == "BucketOwnerEnforced" && aws_s3_bucket_versioning.this.versioning_configuration[0].status == "Enabled"
    error_message = "The bucket must be versioned, with ACLs disabled."
  }

  assert {
    condition = anytrue([
      for rule in aws_s3_bucket_server_side_encryption_configuration.this.rule :
      one(rule.apply_server_side_encryption_by_default).sse_algorithm == "aws:kms" && one(rule.apply_server_side_encryption_by_default).kms_master_key_id == null && rule.bucket_key_enabled == true
    ])
    error_message = "By default the bucket must be encrypted with the AWS managed KMS key, with a bucket key."
  }

  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.this.rule).noncurrent_version_expiration[0].noncurrent_days == 90 && one(aws_s3_bucket_lifecycle_configuration.this.rule).abort_incomplete_multipart_upload[0].days_after_initiation == 7
    error_message = "Old versions must expire after noncurrent_version_retention_days, abandoned uploads after a week by default."
  }

  assert {
    condition     = aws_s3_bucket_policy.this.policy == data.aws_iam_policy_document.this.json && [for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement : statement.Sid] == ["CallerGrant", "DenyInsecureTransport"]
    error_message = "The bucket policy must hold the caller's statements and the module's TLS-only deny."
  }

  assert {
    condition = anytrue([
      for statement in jsondecode(aws_s3_bucket_policy.this.policy).Statement :
      statement.Effect == "Deny" && statement.Action == "s3:*" && statement.Principal == "*"
      && toset(statement.Resource) == toset(["arn:aws:s3:::example-notebooks-123456789012-eu-west-2", "arn:aws:s3:::example-notebooks-123456789012-eu-west-2/*"])
      && statement.Condition == { Bool = { "aws:SecureTransport" = "false" } }
      if statement.Sid == "DenyInsecureTransport"
    ])
    error_message = "The bucket must deny every request that does not use TLS."
  }
}

run "private_bucket_with_sse_s3_for_cloudfront" {
  command = plan

  module {
    source = "./modules/private-bucket"
  }

  variables {
    bucket                                 = "example-spa-123456789012-eu-west-2"
    sse_algorithm                          = "AES256"
    noncurrent_version_retention_days      = 30
    abort_incomplete_multipart_upload_days = 1
  }

  assert {
    condition     = one(aws_s3_bucket_server_side_encryption_configuration.this.rule).apply_server_side_encryption_by_default[0].sse_algorithm == "AES256"
    error_message = "sse_algorithm = AES256 must encrypt with SSE-S3, which CloudFront's Origin Access Control can read."
  }

  assert {
    condition     = one(aws_s3_bucket_lifecycle_configuration.this.rule).noncurrent_version_expiration[0].noncurrent_days == 30 && one(aws_s3_bucket_lifecycle_configuration.this.rule).abort_incomplete_multipart_upload[0].days_after_initiation == 1
    error_message = "The retention inputs must reach the lifecycle rule."
  }
}

run "private_bucket_rejects_a_customer_key_algorithm" {
  command = plan

  module {
    source = "./modules/private-bucket"
  }

  variables {
    bucket                            = "example-spa-123456789012-eu-west-2"
    sse_algorithm                     = "aws:kms:dsse"
    noncurrent_version_retention_days = 0
  }

  expect_failures = [var.sse_algorithm, var.noncurrent_version_retention_days]
}

run "immutable_images_and_a_separate_cache_repository" {
  command = plan

  assert {
    condition     = aws_ecr_repository.app.image_tag_mutability == "IMMUTABLE"
    error_message = "Every tag of the image repository must be immutable."
  }

  assert {
    condition     = aws_ecr_repository.cache.name != aws_ecr_repository.app.name && aws_ecr_repository.cache.image_tag_mutability == "MUTABLE"
    error_message = "The build cache, rewritten by every build, needs a mutable repository of its own."
  }

  assert {
    condition     = output.ecr_cache_ref == "notebook-ship-cache:buildcache"
    error_message = "ecr_cache_ref must name a tag of the cache repository."
  }
}

run "custom_domain_over_tls_1_2" {
  command = plan

  variables {
    domain_aliases  = ["notebooks.example.com"]
    certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/0e4f7a3c-1234-4bcd-9abc-0123456789ab"
  }

  assert {
    condition     = output.app_url == "https://notebooks.example.com"
    error_message = "With domain_aliases the app URL must use the first alias."
  }

  assert {
    condition     = aws_cloudfront_distribution.app.viewer_certificate[0].ssl_support_method == "sni-only" && aws_cloudfront_distribution.app.viewer_certificate[0].minimum_protocol_version == "TLSv1.2_2021"
    error_message = "A custom domain must be served with SNI and TLS 1.2 or later."
  }
}

run "rejects_a_repository_that_is_not_owner_slash_name" {
  command = plan

  variables {
    github_repository = "https://github.com/octo-org/notebook-ship"
  }

  expect_failures = [var.github_repository]
}

run "rejects_domain_aliases_without_a_certificate" {
  command = plan

  variables {
    domain_aliases = ["notebooks.example.com"]
  }

  expect_failures = [var.domain_aliases]
}

run "rejects_a_certificate_outside_us_east_1" {
  command = plan

  variables {
    domain_aliases  = ["notebooks.example.com"]
    certificate_arn = "arn:aws:acm:eu-west-2:123456789012:certificate/0e4f7a3c-1234-4bcd-9abc-0123456789ab"
  }

  expect_failures = [var.certificate_arn]
}

run "rejects_a_wildcard_branch" {
  command = plan

  variables {
    github_branches = ["*"]
  }

  expect_failures = [var.github_branches]
}

run "rejects_no_branch_and_no_environment" {
  command = plan

  variables {
    github_branches     = []
    github_environments = []
  }

  expect_failures = [var.github_environments]
}

run "rejects_a_name_too_long_for_the_target_group" {
  command = plan

  variables {
    name = "notebook-ship-production-eu"
  }

  expect_failures = [var.name]
}

# The values themselves are read back from Secrets Manager after their versions are written, so a plan cannot show
# them: this asserts the two slots and their versions; the listener rule takes its values from every slot.
run "two_origin_secret_slots_rotate_independently" {
  command = plan

  variables {
    origin_verify_versions = { a = 1, b = 2 }
    origin_verify_active   = "b"
  }

  assert {
    condition     = toset(keys(data.aws_secretsmanager_secret_version.origin_verify)) == toset(["a", "b"]) && length(toset([for secret in aws_secretsmanager_secret.origin_verify : secret.name])) == 2
    error_message = "There must be two X-Origin-Verify slots, each a secret of its own, all read back for the ALB rule."
  }

  assert {
    condition     = aws_secretsmanager_secret_version.origin_verify["a"].secret_string_wo_version == 1 && aws_secretsmanager_secret_version.origin_verify["b"].secret_string_wo_version == 2
    error_message = "Each slot's value must be regenerated by its own version, so the slot CloudFront sends stays as it is."
  }

  assert {
    condition     = aws_secretsmanager_secret.origin_verify["a"].name == "notebook-ship/origin-verify"
    error_message = "Slot a keeps the secret of before the slots, so upgrading does not change the value CloudFront sends."
  }

  assert {
    condition     = aws_secretsmanager_secret_version.origin_verify["a"].secret_string_wo == null && aws_secretsmanager_secret_version.origin_verify["b"].secret_string_wo == null
    error_message = "The origin values must be written write-only."
  }
}

run "rejects_an_origin_slot_that_does_not_exist" {
  command = plan

  variables {
    origin_verify_active = "c"
  }

  expect_failures = [var.origin_verify_active]
}

run "alarms_publish_to_an_encrypted_topic" {
  command = plan

  override_resource {
    target          = aws_sns_topic.alarms
    override_during = plan
    values          = { arn = "arn:aws:sns:eu-west-2:123456789012:notebook-ship-alarms" }
  }

  override_resource {
    target          = aws_kms_key.alarms
    override_during = plan
    values          = { arn = "arn:aws:kms:eu-west-2:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab" }
  }

  assert {
    condition = alltrue([
      for alarm in [aws_cloudwatch_metric_alarm.no_healthy_task, aws_cloudwatch_metric_alarm.target_5xx, aws_cloudwatch_metric_alarm.alb_5xx] :
      alarm.alarm_actions == toset([aws_sns_topic.alarms.arn]) && alarm.ok_actions == toset([aws_sns_topic.alarms.arn])
    ])
    error_message = "Every alarm must notify the alarm topic, when it fires and when it clears."
  }

  assert {
    condition = (
      aws_cloudwatch_metric_alarm.no_healthy_task.metric_name == "HealthyHostCount"
      && aws_cloudwatch_metric_alarm.no_healthy_task.comparison_operator == "LessThanThreshold"
      && aws_cloudwatch_metric_alarm.no_healthy_task.threshold == 1
      && aws_cloudwatch_metric_alarm.no_healthy_task.treat_missing_data == "breaching"
    )
    error_message = "No healthy task (fewer than one healthy target, or no data at all) must raise an alarm."
  }

  assert {
    condition     = aws_cloudwatch_metric_alarm.target_5xx.metric_name == "HTTPCode_Target_5XX_Count" && aws_cloudwatch_metric_alarm.alb_5xx.metric_name == "HTTPCode_ELB_5XX_Count"
    error_message = "5xx responses from the app and from the ALB itself must each raise an alarm."
  }

  assert {
    condition     = aws_sns_topic.alarms.kms_master_key_id == aws_kms_key.alarms.arn && aws_kms_key.alarms.enable_key_rotation
    error_message = "The alarm topic must be encrypted with a rotated key that CloudWatch may use."
  }

  assert {
    condition     = length(aws_sns_topic_subscription.alarm_email) == 0
    error_message = "Without alarm_email nobody is subscribed."
  }
}

run "alarm_email_subscribes_to_the_topic" {
  command = plan

  variables {
    alarm_email = "ops@example.com"
  }

  assert {
    condition     = aws_sns_topic_subscription.alarm_email[0].protocol == "email" && aws_sns_topic_subscription.alarm_email[0].endpoint == "ops@example.com"
    error_message = "alarm_email must be subscribed to the alarm topic by e-mail."
  }
}

run "release_records_are_not_served" {
  command = plan

  assert {
    condition     = strcontains(aws_cloudfront_function.spa_fallback.code, "path.indexOf('/_releases/') === 0") && aws_cloudfront_function.spa_fallback.publish
    error_message = "The published viewer-request function must refuse publish-spa's release records (terraform/test/spa-fallback.test.ts runs it)."
  }

  assert {
    condition = alltrue(concat(
      [anytrue([for association in aws_cloudfront_distribution.app.default_cache_behavior[0].function_association : association.event_type == "viewer-request"])],
      [for behaviour in aws_cloudfront_distribution.app.ordered_cache_behavior : behaviour.target_origin_id != local.spa_origin_id],
    ))
    error_message = "Every behaviour that reads the SPA bucket must run the viewer-request function, or it would serve /_releases/."
  }
}

run "hcp_terraform_plans_read_and_only_applies_write" {
  command = plan

  variables {
    hcp_terraform_organization = "octo-org"
    hcp_terraform_project      = "Notebooks"
    hcp_terraform_workspace    = "notebook-ship"
  }

  override_resource {
    target          = aws_iam_openid_connect_provider.hcp_terraform
    override_during = plan
    values          = { arn = "arn:aws:iam::123456789012:oidc-provider/app.terraform.io" }
  }

  override_resource {
    target          = aws_secretsmanager_secret.origin_verify
    override_during = plan
    values          = { arn = "arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/origin-verify-AbCdEf" }
  }

  assert {
    condition = alltrue([
      for phase, role in { plan = aws_iam_role.hcp_terraform_plan[0], apply = aws_iam_role.hcp_terraform_apply[0] } :
      length(jsondecode(role.assume_role_policy).Statement) == 1
      && jsondecode(role.assume_role_policy).Statement[0].Principal.Federated == "arn:aws:iam::123456789012:oidc-provider/app.terraform.io"
      && keys(jsondecode(role.assume_role_policy).Statement[0].Condition) == ["StringEquals"]
      && jsondecode(role.assume_role_policy).Statement[0].Condition.StringEquals["app.terraform.io:aud"] == "aws.workload.identity"
      && jsondecode(role.assume_role_policy).Statement[0].Condition.StringEquals["app.terraform.io:sub"] == "organization:octo-org:project:Notebooks:workspace:notebook-ship:run_phase:${phase}"
    ])
    error_message = "Each role must trust exactly this workspace's runs in its own phase: the apply role the apply phase only."
  }

  assert {
    condition = alltrue(flatten([
      for statement in data.aws_iam_policy_document.hcp_terraform_plan.statement : [
        for action in statement.actions : can(regex("^[a-z0-9-]+:(Describe|Get|List)[A-Za-z]+$", action))
      ]
    ]))
    error_message = "The plan role may only describe, get and list."
  }

  assert {
    condition = alltrue(flatten([
      for statement in data.aws_iam_policy_document.hcp_terraform_plan.statement : [
        for action in statement.actions : !contains(["s3:GetObject", "s3:GetObjectVersion", "ecr:GetAuthorizationToken", "ecr:BatchGetImage", "logs:GetLogEvents"], action)
      ]
    ])) && one([for statement in data.aws_iam_policy_document.hcp_terraform_plan.statement : statement.resources if contains(statement.actions, "secretsmanager:GetSecretValue")]) == toset(["arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/origin-verify-AbCdEf"])
    error_message = "The plan role must read no data: no object, image or log, and no secret but the origin header values the plan reads back."
  }

  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.hcp_terraform_apply.statement :
      alltrue([for resource in statement.resources : startswith(resource, "arn:aws:iam::123456789012:role/notebook-ship-") || startswith(resource, "arn:aws:iam::123456789012:oidc-provider/")])
      if anytrue([for action in statement.actions : startswith(action, "iam:")])
    ])
    error_message = "The apply role may change only this configuration's roles and OIDC providers in IAM."
  }
}

run "no_hcp_terraform_roles_without_a_workspace" {
  command = plan

  assert {
    condition     = length(aws_iam_role.hcp_terraform_plan) == 0 && length(aws_iam_role.hcp_terraform_apply) == 0 && length(aws_iam_openid_connect_provider.hcp_terraform) == 0 && output.hcp_terraform_plan_role_arn == null
    error_message = "Without hcp_terraform_organization no HCP Terraform role or provider may be created."
  }
}

run "rejects_an_organization_without_a_workspace" {
  command = plan

  variables {
    hcp_terraform_organization = "octo-org"
  }

  expect_failures = [var.hcp_terraform_workspace]
}

run "tls_only_origin_hop" {
  command = plan

  assert {
    condition = alltrue([
      for origin in aws_cloudfront_distribution.app.origin :
      origin.domain_name == "origin.notebooks.example.com"
      && one(origin.custom_origin_config).origin_protocol_policy == "https-only"
      && one(origin.custom_origin_config).origin_ssl_protocols == toset(["TLSv1.2"])
      if origin.origin_id == local.api_origin_id
    ])
    error_message = "CloudFront must reach the ALB over HTTPS only (TLS 1.2), by the name its certificate covers."
  }

  assert {
    condition = (
      aws_lb_listener.https.protocol == "HTTPS" && aws_lb_listener.https.port == 443
      && aws_lb_listener.https.certificate_arn == "arn:aws:acm:eu-west-2:123456789012:certificate/7c3a9e21-1234-4bcd-9abc-0123456789ab"
      && startswith(aws_lb_listener.https.ssl_policy, "ELBSecurityPolicy-TLS13-1-2-")
    )
    error_message = "The ALB must terminate TLS 1.2+ with the origin certificate."
  }

  assert {
    condition     = aws_vpc_security_group_ingress_rule.alb_from_cloudfront.from_port == 443 && aws_vpc_security_group_ingress_rule.alb_from_cloudfront.to_port == 443
    error_message = "The ALB must admit CloudFront on 443 only: no port is open for plain HTTP."
  }

  assert {
    condition     = [for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.value if variable.name == "ALLOWED_HOSTS"] == ["origin.notebooks.example.com"]
    error_message = "The app must answer the Host CloudFront's origin requests carry: the origin domain name."
  }
}

run "rejects_an_origin_certificate_from_another_region" {
  command = plan

  variables {
    origin_certificate_arn = "arn:aws:acm:us-east-1:123456789012:certificate/7c3a9e21-1234-4bcd-9abc-0123456789ab"
  }

  expect_failures = [var.origin_certificate_arn]
}

# The kernel role (docs/ARCHITECTURE.md, "Kernel isolation"): only the task role may assume it, it has no
# permission but the policies of kernel_policy_arns, and the server learns its ARN from the task definition.
run "only_the_task_role_assumes_the_kernel_role" {
  command = plan

  # The documents' statements as planned (their JSON is only known once the roles exist); terraform/test checks that
  # the role's trust and the task role's policy are these documents.
  assert {
    condition = (
      length(data.aws_iam_policy_document.kernel_assume.statement) == 1
      && data.aws_iam_policy_document.kernel_assume.statement[0].effect != "Deny"
      && data.aws_iam_policy_document.kernel_assume.statement[0].actions == toset(["sts:AssumeRole"])
      && length(data.aws_iam_policy_document.kernel_assume.statement[0].condition) == 0
    )
    error_message = "The kernel role's trust must have exactly one statement: sts:AssumeRole."
  }

  assert {
    condition = [
      for principal in data.aws_iam_policy_document.kernel_assume.statement[0].principals :
      { type = principal.type, identifiers = principal.identifiers }
    ] == [{ type = "AWS", identifiers = toset(["arn:aws:iam::123456789012:role/notebook-ship-ecs-task"]) }]
    error_message = "Only the ECS task role may assume the kernel role: no service, account root or other role."
  }

  assert {
    condition     = aws_iam_role.kernel.max_session_duration == 3600
    error_message = "The kernel role's sessions are chained from the task role's, which caps them at one hour."
  }
}

run "the_kernel_role_has_no_permission_by_default" {
  command = plan

  assert {
    condition     = length(aws_iam_role_policy_attachment.kernel) == 0
    error_message = "Without kernel_policy_arns the kernel role must have no policy attached."
  }
}

run "the_kernel_role_gets_exactly_the_given_policies" {
  command = plan

  variables {
    kernel_policy_arns = [
      "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
      "arn:aws:iam::123456789012:policy/notebook-data",
    ]
  }

  assert {
    condition = toset([for attachment in aws_iam_role_policy_attachment.kernel : attachment.policy_arn]) == toset([
      "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess",
      "arn:aws:iam::123456789012:policy/notebook-data",
    ])
    error_message = "Each of kernel_policy_arns must be attached to the kernel role, and nothing else."
  }

  assert {
    condition     = alltrue([for attachment in aws_iam_role_policy_attachment.kernel : attachment.role == "notebook-ship-kernel"])
    error_message = "kernel_policy_arns must be attached to the kernel role, never to the task role."
  }
}

run "the_kernel_role_reads_exactly_the_given_data_buckets" {
  command = plan

  variables {
    kernel_data_buckets = ["team-lake", "team.raw-data"]
  }

  assert {
    condition = (
      aws_iam_role_policy.kernel_data[0].role == "notebook-ship-kernel"
      && jsondecode(data.aws_iam_policy_document.kernel_data[0].json).Statement == [
        { Sid = "ListDataBuckets", Effect = "Allow", Action = "s3:ListBucket", Resource = ["arn:aws:s3:::team.raw-data", "arn:aws:s3:::team-lake"] },
        { Sid = "ReadDataObjects", Effect = "Allow", Action = "s3:GetObject", Resource = ["arn:aws:s3:::team.raw-data/*", "arn:aws:s3:::team-lake/*"] },
      ]
    )
    error_message = "kernel_data_buckets must give the kernel role list and get on those buckets alone, and nothing else."
  }
}

run "no_data_bucket_access_by_default" {
  command = plan

  assert {
    condition     = length(aws_iam_role_policy.kernel_data) == 0
    error_message = "Without kernel_data_buckets the kernel role must read no bucket."
  }
}

run "rejects_a_data_bucket_given_as_an_arn" {
  command = plan

  variables {
    kernel_data_buckets = ["arn:aws:s3:::team-lake"]
  }

  expect_failures = [var.kernel_data_buckets]
}

run "the_task_role_may_assume_the_kernel_role_and_no_other" {
  command = plan

  assert {
    condition = (
      aws_iam_role_policy.task_kernel_role.role == "notebook-ship-ecs-task"
      && length(data.aws_iam_policy_document.task_kernel_role.statement) == 1
      && data.aws_iam_policy_document.task_kernel_role.statement[0].effect != "Deny"
      && data.aws_iam_policy_document.task_kernel_role.statement[0].actions == toset(["sts:AssumeRole"])
      && data.aws_iam_policy_document.task_kernel_role.statement[0].resources == toset(["arn:aws:iam::123456789012:role/notebook-ship-kernel"])
    )
    error_message = "The task role may assume the kernel role, by its ARN, and nothing more through this policy."
  }

  assert {
    condition = !anytrue(flatten([
      for statement in data.aws_iam_policy_document.task.statement : [
        for action in statement.actions : startswith(action, "sts:")
      ]
    ]))
    error_message = "The task role's storage policy must grant no STS action: the kernel role is its only role to assume."
  }
}

run "the_task_definition_names_the_kernel_role" {
  command = plan

  assert {
    condition = one([
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment :
      variable.value if variable.name == "KERNEL_ROLE_ARN"
    ]) == "arn:aws:iam::123456789012:role/notebook-ship-kernel"
    error_message = "The container's environment must set KERNEL_ROLE_ARN to the kernel role's ARN."
  }

  assert {
    condition = !anytrue([
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment :
      startswith(variable.name, "AWS_")
    ])
    error_message = "The container's environment must hold no AWS_* variable: the task role's credentials come from ECS."
  }
}

# The container's isolation, asserted on the task definition's JSON as ECS receives it: root for the kernel
# launcher only, the capabilities it needs and no other, no privileged mode, the kernels' limits from the variables,
# and no secret in the plain environment.
run "the_container_keeps_its_isolation" {
  command = plan

  # None of them the default, so that each is seen to come from its variable.
  variables {
    cell_time_limit     = 321
    kernel_memory_mb    = 777
    kernel_processes    = 55
    kernel_cpu_seconds  = 1234
    kernel_open_files   = 99
    kernel_idle_seconds = 900
  }

  assert {
    condition     = length(jsondecode(aws_ecs_task_definition.app.container_definitions)) == 1
    error_message = "The task must run the app container alone: the assertions below are about that one container."
  }

  assert {
    condition     = jsondecode(aws_ecs_task_definition.app.container_definitions)[0].user == "0"
    error_message = "The container must start as root (user \"0\"): the kernel launcher needs it to give each kernel a uid of its own, and runs the server as 10001 itself."
  }

  assert {
    condition     = try(jsondecode(aws_ecs_task_definition.app.container_definitions)[0].privileged, false) == false
    error_message = "The container must not be privileged."
  }

  # Docker's default capabilities (what a container holds before drop and add), less the dropped ones, plus the added
  # ones: exactly what the launcher needs. Fargate adds no capability but SYS_PTRACE, so the four are kept by dropping
  # every other default, not by dropping ALL and adding them (which Fargate refuses).
  assert {
    condition = toset(setunion(
      contains(try(jsondecode(aws_ecs_task_definition.app.container_definitions)[0].linuxParameters.capabilities.drop, []), "ALL") ? [] : setsubtract(
        [
          "AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER", "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "NET_RAW",
          "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT",
        ],
        try(jsondecode(aws_ecs_task_definition.app.container_definitions)[0].linuxParameters.capabilities.drop, []),
      ),
      try(jsondecode(aws_ecs_task_definition.app.container_definitions)[0].linuxParameters.capabilities.add, []),
    )) == toset(["CHOWN", "KILL", "SETGID", "SETUID"])
    error_message = "The container must hold exactly SETUID, SETGID, CHOWN and KILL (docs/ARCHITECTURE.md, Kernel isolation): every other default capability dropped, none added."
  }

  assert {
    condition     = length(try(jsondecode(aws_ecs_task_definition.app.container_definitions)[0].linuxParameters.capabilities.add, [])) == 0
    error_message = "No capability may be added (Fargate would refuse all but SYS_PTRACE, which would let a process read another's memory)."
  }

  assert {
    condition     = try(jsondecode(aws_ecs_task_definition.app.container_definitions)[0].readonlyRootFilesystem, false) == false
    error_message = "readonlyRootFilesystem is off on purpose (cells write caches and temporary files anywhere under their home and /tmp): turning it on needs a tested decision, not a drive-by change."
  }

  assert {
    condition = {
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.name => variable.value
      if contains(["CELL_TIME_LIMIT", "KERNEL_MEMORY_MB", "KERNEL_PROCESSES", "KERNEL_CPU_SECONDS", "KERNEL_OPEN_FILES", "KERNEL_IDLE_SECONDS"], variable.name)
      } == {
      CELL_TIME_LIMIT     = "321"
      KERNEL_MEMORY_MB    = "777"
      KERNEL_PROCESSES    = "55"
      KERNEL_CPU_SECONDS  = "1234"
      KERNEL_OPEN_FILES   = "99"
      KERNEL_IDLE_SECONDS = "900"
    }
    error_message = "The environment must set CELL_TIME_LIMIT, every KERNEL_* limit and KERNEL_IDLE_SECONDS, once each, to its variable's value."
  }

  assert {
    condition     = length(jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment) == length(distinct([for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.name]))
    error_message = "No environment variable may be set twice (which of the values ECS keeps is not documented)."
  }

  assert {
    condition = alltrue([
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment :
      !can(regex("(?i)(TOKEN|SECRET|PASSWORD|PASSWD|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_?KEY|VERIFY)", variable.name))
    ])
    error_message = "No environment variable may be named like a secret or a credential: secrets come from Secrets Manager through `secrets`."
  }

  # A value read back from a secret (the origin header's) is known only at apply: one in the environment leaves these
  # conditions unknown at plan, which fails the run as well.
  assert {
    condition = alltrue([
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment :
      !can(regex("^(AKIA|ASIA)[A-Z0-9]{16}$", variable.value))
      && !startswith(variable.value, "arn:aws:secretsmanager:")
    ])
    error_message = "No credential (an AWS access key, a secret's ARN meant for `secrets`) may appear in the plain environment."
  }

  assert {
    condition = length(setintersection(
      [for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.name],
      [for secret in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].secrets : secret.name],
    )) == 0
    error_message = "A secret must be set through `secrets` only, never also in the plain environment."
  }
}

# Kernels as ECS tasks (kernels.tf; docs/DEPLOYMENT.md, "Kernels as ECS tasks"): a task family of their own, with the
# kernel role as its task role and no secret, reachable from the server alone, and a server that may start, watch,
# tag and stop those tasks in its cluster and nothing more.
run "ecs_kernels_run_as_a_task_family_with_the_kernel_role" {
  command = plan

  variables {
    kernel_launcher   = "ecs"
    kernel_memory_mb  = 777
    kernel_processes  = 55
    kernel_open_files = 99
  }

  assert {
    condition = (
      length(aws_ecs_task_definition.kernel) == 1
      && aws_ecs_task_definition.kernel[0].family == "notebook-ship-kernel"
      && aws_ecs_task_definition.kernel[0].requires_compatibilities == toset(["FARGATE"])
      && aws_ecs_task_definition.kernel[0].network_mode == "awsvpc"
    )
    error_message = "kernel_launcher = \"ecs\" must register the Fargate task family notebook-ship-kernel (awsvpc)."
  }

  assert {
    condition = (
      aws_ecs_task_definition.kernel[0].task_role_arn == "arn:aws:iam::123456789012:role/notebook-ship-kernel"
      && aws_ecs_task_definition.kernel[0].execution_role_arn == "arn:aws:iam::123456789012:role/notebook-ship-ecs-execution"
    )
    error_message = "Kernel tasks must run as the kernel role (never the server's task role), started by the existing execution role."
  }

  assert {
    condition = (
      length(jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)) == 1
      && jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].name == "kernel"
      && jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].command == ["python", "-m", "app.engine.kernel.agent"]
      && jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].image == jsondecode(aws_ecs_task_definition.app.container_definitions)[0].image
    )
    error_message = "The kernel task must run the server's image as the container \"kernel\" with the agent's command."
  }

  assert {
    condition = [
      for mapping in jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].portMappings :
      { port = mapping.containerPort, protocol = mapping.protocol }
    ] == [{ port = 8790, protocol = "tcp" }]
    error_message = "The kernel container must expose the agent's port, 8790/tcp, and nothing else."
  }

  assert {
    condition = (
      length(try(jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].secrets, [])) == 0
      && alltrue([
        for variable in jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].environment :
        !can(regex("(?i)(TOKEN|SECRET|PASSWORD|CREDENTIAL|PRIVATE|API_?KEY|ACCESS_?KEY|ROLE_ARN)", variable.name))
        && !startswith(variable.value, "arn:")
      ])
    )
    error_message = "A kernel task gets no secret from its definition (its KERNEL_SECRET comes with each RunTask) and no ARN: the notebook's code reads its environment."
  }

  assert {
    condition = {
      for variable in jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].environment : variable.name => variable.value
      if startswith(variable.name, "KERNEL_")
      } == {
      KERNEL_MEMORY_MB   = "777"
      KERNEL_PROCESSES   = "55"
      KERNEL_CPU_SECONDS = "3600"
      KERNEL_OPEN_FILES  = "99"
      KERNEL_PORT        = "8790"
    }
    error_message = "The kernel container must get the server's kernel limits and the agent's port, and no other KERNEL_* setting."
  }

  # The isolation the_container_keeps_its_isolation asserts on the server's container, inherited as a whole.
  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].user == jsondecode(aws_ecs_task_definition.app.container_definitions)[0].user
      && jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].linuxParameters == jsondecode(aws_ecs_task_definition.app.container_definitions)[0].linuxParameters
      && try(jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].readonlyRootFilesystem, false) == try(jsondecode(aws_ecs_task_definition.app.container_definitions)[0].readonlyRootFilesystem, false)
      && try(jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].privileged, false) == false
    )
    error_message = "The kernel container must run as the server's does: same user, capabilities, init process and root filesystem, never privileged."
  }

  assert {
    condition = (
      jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].logConfiguration.options["awslogs-group"] == "/ecs/notebook-ship"
      && jsondecode(aws_ecs_task_definition.kernel[0].container_definitions)[0].logConfiguration.options["awslogs-stream-prefix"] == "kernel"
    )
    error_message = "Kernel tasks must log to the app's log group, under a stream prefix of their own."
  }

  # ECS assumes the kernel role for kernel tasks, on the same confused-deputy terms as for the app's task; the server
  # keeps its own trust. (The statements as planned: the merged JSON is only known once the roles exist.)
  assert {
    condition = (
      length(data.aws_iam_policy_document.kernel_assume.source_policy_documents) == 1
      && data.aws_iam_policy_document.kernel_assume.source_policy_documents[0] == data.aws_iam_policy_document.ecs_tasks_assume.json
      && length(data.aws_iam_policy_document.kernel_assume.statement) == 1
      && jsonencode([
        for principal in data.aws_iam_policy_document.kernel_assume.statement[0].principals : [principal.type, principal.identifiers]
      ]) == jsonencode([["AWS", ["arn:aws:iam::123456789012:role/notebook-ship-ecs-task"]]])
    )
    error_message = "With ECS kernels the kernel role must trust the app's task role and, through the ECS tasks trust, ECS."
  }

  assert {
    condition = (
      length(jsondecode(data.aws_iam_policy_document.ecs_tasks_assume.json).Statement) == 1
      && jsondecode(data.aws_iam_policy_document.ecs_tasks_assume.json).Statement[0].Principal == { Service = "ecs-tasks.amazonaws.com" }
      && jsondecode(data.aws_iam_policy_document.ecs_tasks_assume.json).Statement[0].Condition.StringEquals["aws:SourceAccount"] == "123456789012"
      && jsondecode(data.aws_iam_policy_document.ecs_tasks_assume.json).Statement[0].Condition.ArnLike["aws:SourceArn"] == "arn:aws:ecs:eu-west-2:123456789012:*"
    )
    error_message = "ECS may assume the kernel role only for this account's tasks in this Region."
  }
}

run "kernel_tasks_admit_the_server_only" {
  command = plan

  variables {
    kernel_launcher = "ecs"
  }

  assert {
    condition = (
      aws_vpc_security_group_ingress_rule.kernel_from_app[0].security_group_id == "sg-0kernel000000000"
      && aws_vpc_security_group_ingress_rule.kernel_from_app[0].referenced_security_group_id == "sg-0app0000000000000"
      && aws_vpc_security_group_ingress_rule.kernel_from_app[0].cidr_ipv4 == null
      && aws_vpc_security_group_ingress_rule.kernel_from_app[0].prefix_list_id == null
      && aws_vpc_security_group_ingress_rule.kernel_from_app[0].ip_protocol == "tcp"
      && aws_vpc_security_group_ingress_rule.kernel_from_app[0].from_port == 8790
      && aws_vpc_security_group_ingress_rule.kernel_from_app[0].to_port == 8790
    )
    error_message = "Kernel tasks must admit 8790/tcp from the server's security group only."
  }

  assert {
    condition = (
      aws_vpc_security_group_egress_rule.app_to_kernel[0].security_group_id == "sg-0app0000000000000"
      && aws_vpc_security_group_egress_rule.app_to_kernel[0].referenced_security_group_id == "sg-0kernel000000000"
      && aws_vpc_security_group_egress_rule.app_to_kernel[0].from_port == 8790
      && aws_vpc_security_group_egress_rule.app_to_kernel[0].to_port == 8790
    )
    error_message = "The server's security group must reach the kernel tasks' port."
  }

  assert {
    condition = (
      aws_vpc_security_group_egress_rule.kernel_https[0].from_port == 443 && aws_vpc_security_group_egress_rule.kernel_https[0].to_port == 443
      && aws_vpc_security_group_egress_rule.kernel_https[0].ip_protocol == "tcp"
      && [for rule in aws_vpc_security_group_egress_rule.kernel_databases : [rule.ip_protocol, rule.from_port, rule.to_port]] == [["tcp", 5432, 5432]]
    )
    error_message = "Kernel tasks may go out on HTTPS and their databases' ports (PostgreSQL by default) only, never on every port."
  }

  assert {
    condition     = [for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.value if variable.name == "KERNEL_ECS_SECURITY_GROUPS"] == ["sg-0kernel000000000"]
    error_message = "The server must start kernel tasks in the kernel security group (KERNEL_ECS_SECURITY_GROUPS)."
  }
}

run "the_server_may_run_only_kernel_tasks_of_its_cluster" {
  command = plan

  variables {
    kernel_launcher  = "ecs"
    kernel_sizes     = ["medium", "small", "large"]
    kernel_warm_pool = 2
  }

  assert {
    condition     = length(aws_iam_role_policy.task_kernels) == 1 && aws_iam_role_policy.task_kernels[0].role == "notebook-ship-ecs-task"
    error_message = "The kernel tasks' permissions must be the server's task role's."
  }

  assert {
    condition = toset(flatten([for statement in data.aws_iam_policy_document.task_kernels.statement : tolist(statement.actions)])) == toset([
      "ecs:RunTask", "ecs:StopTask", "ecs:DescribeTasks", "ecs:TagResource", "ecs:ListTasks", "iam:PassRole",
    ]) && alltrue([for statement in data.aws_iam_policy_document.task_kernels.statement : statement.effect != "Deny"])
    error_message = "The server's kernel policy must grant exactly RunTask, StopTask, DescribeTasks, TagResource, ListTasks and PassRole."
  }

  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.task_kernels.statement :
      statement.resources == toset([
        "arn:aws:ecs:eu-west-2:123456789012:task-definition/notebook-ship-kernel",
        "arn:aws:ecs:eu-west-2:123456789012:task-definition/notebook-ship-kernel:*",
      ])
      && jsonencode([for condition in statement.condition : [condition.test, condition.variable, condition.values]]) == jsonencode([["ArnEquals", "ecs:cluster", ["arn:aws:ecs:eu-west-2:123456789012:cluster/notebook-ship"]]])
      if contains(statement.actions, "ecs:RunTask")
    ]) && length([for statement in data.aws_iam_policy_document.task_kernels.statement : statement if contains(statement.actions, "ecs:RunTask")]) == 1
    error_message = "RunTask must be allowed on the kernel family's task definitions only, in this cluster only (ecs:cluster)."
  }

  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.task_kernels.statement :
      statement.resources == toset(["arn:aws:ecs:eu-west-2:123456789012:task/notebook-ship/*"])
      if length(setintersection(statement.actions, ["ecs:StopTask", "ecs:DescribeTasks", "ecs:TagResource"])) > 0
    ])
    error_message = "StopTask, DescribeTasks and TagResource must be allowed on this cluster's tasks only."
  }

  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.task_kernels.statement :
      jsonencode([for condition in statement.condition : [condition.test, condition.variable, condition.values]]) == jsonencode([["ForAllValues:StringEquals", "aws:TagKeys", ["notebook-id", "kernel-size"]]])
      if contains(statement.actions, "ecs:TagResource")
    ])
    error_message = "The server may set the kernel tasks' notebook-id and kernel-size tags only."
  }

  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.task_kernels.statement :
      statement.resources == toset(["*"])
      && jsonencode([for condition in statement.condition : [condition.test, condition.variable, condition.values]]) == jsonencode([["ArnEquals", "ecs:cluster", ["arn:aws:ecs:eu-west-2:123456789012:cluster/notebook-ship"]]])
      if contains(statement.actions, "ecs:ListTasks")
    ])
    error_message = "ListTasks (authorized on \"*\" only) must be limited to this cluster by ecs:cluster."
  }

  assert {
    condition = jsonencode([
      for statement in data.aws_iam_policy_document.task_kernels.statement :
      [statement.actions, statement.resources, [for condition in statement.condition : [condition.test, condition.variable, condition.values]]]
      if contains(statement.actions, "iam:PassRole")
      ]) == jsonencode([[
        ["iam:PassRole"],
        toset(["arn:aws:iam::123456789012:role/notebook-ship-kernel", "arn:aws:iam::123456789012:role/notebook-ship-ecs-execution"]),
        [["StringEquals", "iam:PassedToService", ["ecs-tasks.amazonaws.com"]]],
    ]])
    error_message = "The server may pass exactly the kernel role and the execution role, to ECS tasks only."
  }

  assert {
    condition = {
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.name => variable.value
      if contains(["KERNEL_LAUNCHER", "KERNEL_ECS_CLUSTER", "KERNEL_ECS_TASK_DEFINITION", "KERNEL_ECS_SUBNETS", "KERNEL_SIZES", "KERNEL_WARM_POOL"], variable.name)
      } == {
      KERNEL_LAUNCHER            = "ecs"
      KERNEL_ECS_CLUSTER         = "notebook-ship"
      KERNEL_ECS_TASK_DEFINITION = "notebook-ship-kernel"
      KERNEL_ECS_SUBNETS         = "subnet-0private0a00000,subnet-0private0b00000"
      KERNEL_SIZES               = "medium,small,large"
      KERNEL_WARM_POOL           = "2"
    }
    error_message = "The server's environment must name the launcher, the cluster, the kernel family, the private subnets, the sizes in order and the warm pool."
  }
}

# Each kernel's secret is in its task's RunTask overrides: the deploy role, which describes the service's tasks when
# a rollout fails, may not describe kernel tasks (tagged notebook-id).
run "the_deploy_role_cannot_describe_kernel_tasks" {
  command = plan

  assert {
    condition = alltrue([
      for statement in data.aws_iam_policy_document.deploy.statement :
      jsonencode([for condition in statement.condition : [condition.test, condition.variable, condition.values]]) == jsonencode([["Null", "aws:ResourceTag/notebook-id", ["true"]]])
      if contains(statement.actions, "ecs:DescribeTasks")
    ])
    error_message = "The deploy role's DescribeTasks must exclude tasks tagged notebook-id (kernel tasks, whose overrides hold their secret)."
  }
}

run "process_kernels_create_no_kernel_task" {
  command = plan

  assert {
    condition = (
      length(aws_ecs_task_definition.kernel) == 0 && length(aws_security_group.kernel) == 0
      && length(aws_vpc_security_group_ingress_rule.kernel_from_app) == 0 && length(aws_vpc_security_group_egress_rule.app_to_kernel) == 0
      && length(aws_vpc_security_group_egress_rule.kernel_https) == 0 && length(aws_vpc_security_group_egress_rule.kernel_databases) == 0
      && length(aws_iam_role_policy.task_kernels) == 0
    )
    error_message = "With process kernels no kernel task definition, security group, rule or ECS permission may exist."
  }

  assert {
    condition = [
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : "${variable.name}=${variable.value}"
      if variable.name == "KERNEL_LAUNCHER" || startswith(variable.name, "KERNEL_ECS_") || variable.name == "KERNEL_WARM_POOL"
    ] == ["KERNEL_LAUNCHER=process"]
    error_message = "With process kernels the environment must say KERNEL_LAUNCHER=process and name no ECS placement."
  }

  assert {
    condition     = length(data.aws_iam_policy_document.kernel_assume.source_policy_documents) == 0
    error_message = "With process kernels ECS must not be able to assume the kernel role: the app's task role alone may."
  }
}

run "rejects_an_unknown_kernel_launcher" {
  command = plan

  variables {
    kernel_launcher = "fargate"
  }

  expect_failures = [var.kernel_launcher]
}

run "rejects_an_unknown_kernel_size" {
  command = plan

  variables {
    kernel_sizes = ["small", "xlarge"]
  }

  expect_failures = [var.kernel_sizes]
}

run "rejects_a_negative_warm_pool" {
  command = plan

  variables {
    kernel_warm_pool = -1
  }

  expect_failures = [var.kernel_warm_pool]
}

# A deploy renders the kernel task family with the app's image (deploy-ecs's kernel-task-definition): the deploy role
# may tag its revisions and pass the kernel role to ECS tasks, only when kernels run as ECS tasks.
run "the_deploy_role_registers_kernel_revisions_only_with_ecs_kernels" {
  command = plan

  variables {
    kernel_launcher = "ecs"
  }

  assert {
    condition     = length(aws_iam_role_policy.deploy_kernels) == 1
    error_message = "With ECS kernels the deploy role must get the kernel family's permissions."
  }

  assert {
    condition = jsonencode([
      for statement in data.aws_iam_policy_document.deploy_kernels.statement :
      [statement.actions, statement.resources, [for condition in statement.condition : [condition.test, condition.variable, condition.values]]]
      ]) == jsonencode([
      [toset(["ecs:ListTagsForResource", "ecs:TagResource"]), toset(["arn:aws:ecs:eu-west-2:123456789012:task-definition/notebook-ship-kernel:*"]), []],
      [toset(["iam:PassRole"]), toset(["arn:aws:iam::123456789012:role/notebook-ship-kernel"]), [["StringEquals", "iam:PassedToService", ["ecs-tasks.amazonaws.com"]]]],
    ])
    error_message = "The deploy role may tag the kernel family's revisions and pass the kernel role to ECS tasks, and nothing more."
  }

  assert {
    condition     = alltrue([for statement in data.aws_iam_policy_document.deploy_kernels.statement : statement.effect != "Deny"])
    error_message = "The deploy role's kernel statements must allow."
  }
}

run "the_deploy_role_passes_no_kernel_role_with_process_kernels" {
  command = plan

  assert {
    condition     = length(aws_iam_role_policy.deploy_kernels) == 0
    error_message = "With process kernels the deploy role may not pass the kernel role nor tag a kernel family."
  }

  assert {
    condition = [
      for statement in data.aws_iam_policy_document.deploy.statement : statement.resources
      if contains(statement.actions, "iam:PassRole")
      ] == [toset([
        "arn:aws:iam::123456789012:role/notebook-ship-ecs-execution",
        "arn:aws:iam::123456789012:role/notebook-ship-ecs-task",
    ])]
    error_message = "The deploy role's own policy may pass the execution and task roles only."
  }
}

run "sign_in_is_off_by_default_and_the_audit_log_on" {
  command = plan

  assert {
    condition = (
      length(aws_secretsmanager_secret.oidc_client_secret) == 0 && length(aws_secretsmanager_secret_version.oidc_client_secret) == 0
      && length(aws_secretsmanager_secret.session_secret) == 0 && length(aws_secretsmanager_secret_version.session_secret) == 0
    )
    error_message = "Without oidc_issuer there may be no sign-in secret."
  }

  assert {
    condition = [
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.name
      if startswith(variable.name, "OIDC_") || startswith(variable.name, "ADMIN_") || variable.name == "ALLOWED_ORIGINS"
    ] == []
    error_message = "Without oidc_issuer the task gets no sign-in setting: the API works as before (the access token)."
  }

  assert {
    condition = {
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.name => variable.value
      if contains(["PUBLIC_URL", "AUDIT_LOG_GROUP"], variable.name)
      } == {
      PUBLIC_URL      = "https://d111111abcdef8.cloudfront.net"
      AUDIT_LOG_GROUP = "/ecs/notebook-ship/audit"
    }
    error_message = "The task must get the distribution's URL (PUBLIC_URL) and the audit log group (AUDIT_LOG_GROUP)."
  }

  assert {
    condition     = output.oidc_callback_url == "https://d111111abcdef8.cloudfront.net/api/auth/callback" && output.audit_log_group == "/ecs/notebook-ship/audit"
    error_message = "The outputs must name the callback to register at the provider and the audit log group."
  }

  assert {
    condition     = aws_cloudwatch_log_group.audit.retention_in_days == 365 && aws_cloudwatch_log_group.app.retention_in_days == 30
    error_message = "The audit log must be kept a year by default, apart from the app's 30-day logs."
  }
}

run "sign_in_settings_reach_the_task_and_its_secrets_come_from_secrets_manager" {
  command = plan

  variables {
    oidc_issuer        = "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123"
    oidc_client_id     = "1example23456789"
    oidc_client_secret = "client-secret-from-the-provider"
    oidc_groups_claim  = "cognito:groups"
    admin_users        = ["ada@example.com", "service"]
    admin_groups       = ["notebook-admins"]
    domain_aliases     = ["notebooks.example.com"]
    certificate_arn    = "arn:aws:acm:us-east-1:123456789012:certificate/0e4f7a3c-1234-4bcd-9abc-0123456789ab"
  }

  assert {
    condition = [for secret in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].secrets : "${secret.name}=${secret.valueFrom}"] == [
      "ACCESS_TOKEN=arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/access-token-AbCdEf",
      "OIDC_CLIENT_SECRET=arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/oidc-client-secret-GhIjKl",
      "SESSION_SECRET=arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/session-secret-MnOpQr",
    ]
    error_message = "ECS must inject ACCESS_TOKEN, OIDC_CLIENT_SECRET and SESSION_SECRET from Secrets Manager."
  }

  assert {
    condition = {
      for variable in jsondecode(aws_ecs_task_definition.app.container_definitions)[0].environment : variable.name => variable.value
      if startswith(variable.name, "OIDC_") || startswith(variable.name, "ADMIN_") || contains(["ALLOWED_ORIGINS", "PUBLIC_URL"], variable.name)
      } == {
      OIDC_ISSUER       = "https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123"
      OIDC_CLIENT_ID    = "1example23456789"
      OIDC_SCOPES       = "openid profile email"
      OIDC_GROUPS_CLAIM = "cognito:groups"
      ADMIN_USERS       = "ada@example.com,service"
      ADMIN_GROUPS      = "notebook-admins"
      ALLOWED_ORIGINS   = "https://notebooks.example.com,https://d111111abcdef8.cloudfront.net"
      PUBLIC_URL        = "https://notebooks.example.com"
    }
    error_message = "The task must get the provider, the admins, the public URL (the first alias) and the origins pages come from."
  }

  assert {
    condition     = !strcontains(aws_ecs_task_definition.app.container_definitions, "client-secret-from-the-provider")
    error_message = "The client secret must never be in the task definition."
  }

  assert {
    condition = (
      aws_secretsmanager_secret_version.oidc_client_secret[0].secret_string == null && aws_secretsmanager_secret_version.oidc_client_secret[0].secret_string_wo == null
      && aws_secretsmanager_secret_version.session_secret[0].secret_string == null && aws_secretsmanager_secret_version.session_secret[0].secret_string_wo == null
    )
    error_message = "The client and session secrets must be written write-only: never in the plan."
  }

  assert {
    condition = [for statement in data.aws_iam_policy_document.execution.statement : statement.resources if statement.sid == "ReadAppSecrets"] == [toset([
      "arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/access-token-AbCdEf",
      "arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/oidc-client-secret-GhIjKl",
      "arn:aws:secretsmanager:eu-west-2:123456789012:secret:notebook-ship/session-secret-MnOpQr",
    ])]
    error_message = "The execution role must read exactly the secrets ECS injects."
  }

  assert {
    condition     = output.oidc_callback_url == "https://notebooks.example.com/api/auth/callback"
    error_message = "With domain_aliases the callback must be on the first alias, where people sign in."
  }
}

run "the_task_role_appends_to_and_reads_the_audit_log_and_never_erases_it" {
  command = plan

  assert {
    condition = jsonencode([
      for statement in data.aws_iam_policy_document.task_audit_log.statement : [statement.effect == "Deny" ? "Deny" : "Allow", statement.actions, statement.resources]
      ]) == jsonencode([
      [
        "Allow",
        toset(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:FilterLogEvents", "logs:GetLogEvents", "logs:PutLogEvents"]),
        toset(["arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/notebook-ship/audit", "arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/notebook-ship/audit:*"]),
      ],
      [
        "Deny",
        toset(["logs:DeleteLogGroup", "logs:DeleteLogStream", "logs:PutRetentionPolicy"]),
        toset(["arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/notebook-ship/audit", "arn:aws:logs:eu-west-2:123456789012:log-group:/ecs/notebook-ship/audit:*"]),
      ],
    ])
    error_message = "The task role may append to and read the audit log group and its streams, nothing else, and never delete or expire them."
  }

  assert {
    condition     = aws_iam_role_policy.task_audit_log.role == "notebook-ship-ecs-task"
    error_message = "The audit policy must be the app's task role's."
  }
}

run "rejects_an_issuer_over_plain_http" {
  command = plan

  variables {
    oidc_issuer        = "http://idp.example.com"
    oidc_client_id     = "1example23456789"
    oidc_client_secret = "client-secret-from-the-provider"
  }

  expect_failures = [var.oidc_issuer]
}

run "rejects_plain_http_to_a_name_that_only_starts_like_loopback" {
  command = plan

  variables {
    oidc_issuer        = "http://localhost.evil.example"
    oidc_client_id     = "1example23456789"
    oidc_client_secret = "client-secret-from-the-provider"
  }

  expect_failures = [var.oidc_issuer]
}

run "rejects_sign_in_without_the_client_id_and_secret" {
  command = plan

  variables {
    oidc_issuer = "https://accounts.google.com"
  }

  expect_failures = [var.oidc_client_id, var.oidc_client_secret]
}

run "rejects_scopes_without_openid" {
  command = plan

  variables {
    oidc_scopes = ["profile", "email"]
  }

  expect_failures = [var.oidc_scopes]
}

run "rejects_admins_joined_by_commas" {
  command = plan

  variables {
    admin_users = ["ada@example.com,grace@example.com"]
  }

  expect_failures = [var.admin_users]
}

run "rejects_an_audit_retention_cloudwatch_refuses" {
  command = plan

  variables {
    audit_log_retention_days = 100
  }

  expect_failures = [var.audit_log_retention_days]
}
