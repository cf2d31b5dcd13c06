# The container's isolation, asserted on the task definition's JSON as ECS receives it: root for the kernel launcher
# only, the capabilities it needs and no other, no privileged mode, the kernels' limits from the variables, and no
# secret in the plain environment (docs/ARCHITECTURE.md, "Kernel isolation"). Offline like plan.tftest.hcl, whose
# provider and overrides this file repeats (a test file's overrides are its own); run with `npm test --
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

  # None of them the default, so that each is seen to come from its variable.
  cell_time_limit    = 321
  kernel_memory_mb   = 777
  kernel_processes   = 55
  kernel_cpu_seconds = 1234
  kernel_open_files  = 99
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

# The kernels' role, whose ARN the environment holds (known at plan so that the environment is).
override_resource {
  target          = aws_iam_role.kernel
  override_during = plan
  values          = { arn = "arn:aws:iam::123456789012:role/notebook-ship-kernel" }
}

run "the_container_keeps_its_isolation" {
  command = plan

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
      if contains(["CELL_TIME_LIMIT", "KERNEL_MEMORY_MB", "KERNEL_PROCESSES", "KERNEL_CPU_SECONDS", "KERNEL_OPEN_FILES"], variable.name)
      } == {
      CELL_TIME_LIMIT    = "321"
      KERNEL_MEMORY_MB   = "777"
      KERNEL_PROCESSES   = "55"
      KERNEL_CPU_SECONDS = "1234"
      KERNEL_OPEN_FILES  = "99"
    }
    error_message = "The environment must set CELL_TIME_LIMIT and every KERNEL_* limit, once each, to its variable's value."
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
