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

    environment = [
      { name = "APP_VERSION", value = var.app_version },
      { name = "NOTEBOOK_BUCKET", value = module.notebook_bucket.bucket },
      # The Host headers the service answers: CloudFront's origin requests name the ALB (the origin request policy
      # replaces the viewer's Host), and the custom domains in case a policy ever forwards it.
      { name = "ALLOWED_HOSTS", value = join(",", concat([aws_lb.app.dns_name], var.domain_aliases)) },
    ]

    # Injected by ECS from Secrets Manager at start: the task definition holds only the ARN.
    secrets = [
      { name = "ACCESS_TOKEN", valueFrom = aws_secretsmanager_secret.access_token.arn },
    ]

    # An init process reaps the notebook kernels' child processes and forwards SIGTERM on deploys.
    linuxParameters = {
      initProcessEnabled = true
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
