resource "aws_cloudwatch_log_group" "app" {
  #checkov:skip=CKV_AWS_158: CloudWatch Logs encrypts at rest by default; a customer managed key would cost a monthly fee and a key policy for logs without narrowing who can read them (IAM does that).
  #checkov:skip=CKV_AWS_338: Retention is var.log_retention_days (default 30): application logs of a notebook service, not audit records.
  name              = "/ecs/${var.name}"
  retention_in_days = var.log_retention_days
}

resource "aws_ecs_cluster" "main" {
  name = var.name

  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

locals {
  # What each notebook kernel may use (docs/API.md, settings): the server applies them to local kernels, and kernel
  # tasks get them too.
  kernel_limits_environment = [
    { name = "KERNEL_MEMORY_MB", value = tostring(var.kernel_memory_mb) },
    { name = "KERNEL_PROCESSES", value = tostring(var.kernel_processes) },
    { name = "KERNEL_CPU_SECONDS", value = tostring(var.kernel_cpu_seconds) },
    { name = "KERNEL_OPEN_FILES", value = tostring(var.kernel_open_files) },
  ]

  app_environment = [
    { name = "APP_VERSION", value = var.app_version },
    { name = "NOTEBOOK_BUCKET", value = module.notebook_bucket.bucket },
    # The Host headers the service answers: CloudFront's origin requests name the origin (the origin request
    # policy replaces the viewer's Host), and the custom domains in case a policy ever forwards it.
    { name = "ALLOWED_HOSTS", value = join(",", concat([var.origin_domain_name], var.domain_aliases)) },
    { name = "CELL_TIME_LIMIT", value = tostring(var.cell_time_limit) },
    { name = "KERNEL_IDLE_SECONDS", value = tostring(var.kernel_idle_seconds) },
    # The role notebook cells get, through a loopback endpoint of the server (never the task role's credentials).
    { name = "KERNEL_ROLE_ARN", value = aws_iam_role.kernel.arn },
    # Where kernels run (kernels.tf adds where ECS places them), and the sizes notebooks may choose.
    { name = "KERNEL_LAUNCHER", value = var.kernel_launcher },
    { name = "KERNEL_SIZES", value = join(",", var.kernel_sizes) },
    # The address people open (app_url; the sign-in callback is under it). It names the distribution, which depends
    # on nothing of the service (ALLOWED_HOSTS comes from variables), so the task definition may depend on it.
    { name = "PUBLIC_URL", value = local.public_url },
    { name = "AUDIT_LOG_GROUP", value = aws_cloudwatch_log_group.audit.name },
  ]

  public_url = "https://${local.app_domain}"

  # Sign-in (secrets.tf): the provider and the admins. The browser's Origin is the viewer's address while the Host
  # the service sees is origin_domain_name, so changes riding on the session cookie need these origins allowed.
  sign_in_environment = local.sign_in ? [
    { name = "OIDC_ISSUER", value = var.oidc_issuer },
    { name = "OIDC_CLIENT_ID", value = var.oidc_client_id },
    { name = "OIDC_SCOPES", value = join(" ", var.oidc_scopes) },
    { name = "OIDC_GROUPS_CLAIM", value = var.oidc_groups_claim },
    { name = "ADMIN_USERS", value = join(",", var.admin_users) },
    { name = "ADMIN_GROUPS", value = join(",", var.admin_groups) },
    { name = "ALLOWED_ORIGINS", value = join(",", local.public_origins) },
  ] : []

  public_origins = concat(
    [for alias in var.domain_aliases : "https://${alias}" if !startswith(alias, "*.")],
    ["https://${aws_cloudfront_distribution.app.domain_name}"],
  )

  # Injected by ECS from Secrets Manager at start: the task definition holds only the ARNs.
  app_secrets = concat(
    [{ name = "ACCESS_TOKEN", valueFrom = aws_secretsmanager_secret.access_token.arn }],
    local.sign_in ? [
      { name = "OIDC_CLIENT_SECRET", valueFrom = aws_secretsmanager_secret.oidc_client_secret[0].arn },
      { name = "SESSION_SECRET", valueFrom = aws_secretsmanager_secret.session_secret[0].arn },
    ] : [],
  )

  app_container = {
    name      = local.container_name
    image     = coalesce(var.container_image, "${aws_ecr_repository.app.repository_url}:bootstrap")
    essential = true

    portMappings = [
      {
        name          = "http"
        containerPort = local.container_port
        protocol      = "tcp"
      },
    ]

    environment = concat(
      local.app_environment, local.sign_in_environment, local.kernel_limits_environment, local.kernel_ecs_environment,
    )
    secrets = local.app_secrets

    # Root, for the kernel launcher alone: it gives each notebook kernel a uid of its own and runs the server as 10001
    # (backend/Dockerfile's CMD). Fargate runs no privileged container and adds no capability but SYS_PTRACE, so the
    # isolation is uids, not namespaces.
    user = "0"

    linuxParameters = {
      # An init process reaps what escapes the launcher and forwards SIGTERM to the server on deploys.
      initProcessEnabled = true
      # Of Docker's defaults, root keeps SETUID and SETGID (the launcher becomes a kernel's uid to signal and delete its
      # things), CHOWN (to hand a kernel its working directory) and KILL (the init process forwards SIGTERM to the
      # server, uid 10001). The server and the kernels run with no_new_privs: no set-uid program gives those back.
      capabilities = {
        drop = [
          "AUDIT_WRITE", "DAC_OVERRIDE", "FOWNER", "FSETID", "MKNOD", "NET_BIND_SERVICE", "NET_RAW", "SETFCAP",
          "SETPCAP", "SYS_CHROOT",
        ]
      }
    }
    stopTimeout = 30

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.app.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "app"
      }
    }
  }
}

resource "aws_ecs_task_definition" "app" {
  #checkov:skip=CKV_AWS_336: Notebook cells run arbitrary Python that writes caches and temporary files anywhere under the home and temp directories; the task keeps no durable state on disk (notebooks live in S3).
  family                   = var.name
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = var.task_cpu
  memory                   = var.task_memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([local.app_container])

  # Terraform tracks only the revisions it registers. deploy-ecs renders each deploy from the newest of them (the
  # ecs_task_definition_arn output) and registers the result itself. Tracking the family's latest revision would
  # adopt that deployed revision, see its image as drift and deregister it on the next apply: the running revision
  # could then no longer be rolled back to by ARN. A replacement deregisters only Terraform's previous revision, which
  # no deploy runs, so skip_destroy has nothing to keep.
  track_latest = false
}

resource "aws_ecs_service" "app" {
  name             = var.name
  cluster          = aws_ecs_cluster.main.id
  task_definition  = aws_ecs_task_definition.app.arn
  launch_type      = "FARGATE"
  platform_version = "LATEST"

  # No task until the first deploy: Terraform's revision names an image tag no build pushes ("bootstrap"), which a
  # service asking for a task would try to start forever. deploy-ecs starts the single task on the first deploy, and
  # goes back to zero if that deploy fails.
  desired_count = 0

  # One task at a time: the notebook kernels keep state in memory, so two tasks would disagree.
  # ECS stops the old task before starting the new one (a brief downtime on every deploy).
  deployment_minimum_healthy_percent = 0
  deployment_maximum_percent         = 100

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  health_check_grace_period_seconds = 60
  enable_ecs_managed_tags           = true
  propagate_tags                    = "SERVICE"

  network_configuration {
    subnets          = aws_subnet.private[*].id
    security_groups  = [aws_security_group.app.id]
    assign_public_ip = false
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.app.arn
    container_name   = local.container_name
    container_port   = local.container_port
  }

  lifecycle {
    # Deploys own what runs: deploy-ecs registers the revisions and sets the task count, so an apply must never roll
    # the service back to Terraform's revision or stop its task.
    ignore_changes = [desired_count, task_definition]
  }

  # The target group must be attached to the ALB before a service can register tasks in it.
  depends_on = [aws_lb_listener_rule.from_cloudfront]
}
