# The kernel role, asserted on a real plan: only the task role may assume it, it has no permission but the policies
# of kernel_policy_arns, the task role may assume it and no other role, and the server learns its ARN from the task
# definition (KERNEL_ROLE_ARN) (docs/ARCHITECTURE.md, "Kernel isolation"). Offline like plan.tftest.hcl, whose
# provider and data overrides this file repeats (a test file's overrides are its own); run with `npm test --
# terraform-test`.

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

override_resource {
  target          = aws_cloudfront_distribution.app
  override_during = plan
  values = {
    arn         = "arn:aws:cloudfront::123456789012:distribution/E2EXAMPLE"
    domain_name = "d111111abcdef8.cloudfront.net"
  }
}

# The roles' too, so that the trust, the task role's policy and the task definition are known at plan.
override_resource {
  target          = aws_iam_role.task
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/notebook-ship-ecs-task", id = "notebook-ship-ecs-task" }
}

override_resource {
  target          = aws_iam_role.kernel
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/notebook-ship-kernel", id = "notebook-ship-kernel" }
}

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
