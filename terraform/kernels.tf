# Kernels as ECS tasks (kernel_launcher = "ecs"; docs/DEPLOYMENT.md, "Kernels as ECS tasks"): the server RunTasks
# one task of the kernel family per open notebook, in the private subnets, and reaches its agent over TLS on
# kernel_port. With "process" none of this exists and kernels stay processes of the app's task.
locals {
  kernels_on_ecs        = var.kernel_launcher == "ecs"
  kernel_family         = "${var.name}-kernel"
  kernel_container_name = "kernel"
  kernel_port           = 8790

  # Every task of the cluster, by the ARN format that names the cluster (the resource type ECS authorizes task
  # actions on).
  cluster_task_arns = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task/${aws_ecs_cluster.main.name}/*"

  # What the server needs to place kernel tasks, in its environment (backend settings KERNEL_ECS_*).
  kernel_ecs_environment = local.kernels_on_ecs ? [
    { name = "KERNEL_ECS_CLUSTER", value = aws_ecs_cluster.main.name },
    # The family (each RunTask starts its latest ACTIVE revision) until a deploy names the kernel revision it rendered
    # with its own image (deploy-ecs's kernel-task-definition).
    { name = "KERNEL_ECS_TASK_DEFINITION", value = local.kernel_family },
    { name = "KERNEL_ECS_SUBNETS", value = join(",", aws_subnet.private[*].id) },
    { name = "KERNEL_ECS_SECURITY_GROUPS", value = aws_security_group.kernel[0].id },
    { name = "KERNEL_WARM_POOL", value = tostring(var.kernel_warm_pool) },
  ] : []

  kernel_container = {
    name = local.kernel_container_name
    # The server's image: the agent spawns the worker exactly as the server spawns a local kernel.
    image     = local.app_container.image
    essential = true
    command   = ["python", "-m", "app.engine.kernel.agent"]

    portMappings = [
      {
        name          = "kernel"
        containerPort = local.kernel_port
        protocol      = "tcp"
      },
    ]

    # The limits of the kernel's processes, as the server gives a local kernel. KERNEL_SECRET and the notebook's id
    # come with each RunTask (container overrides): nothing here is a secret. Never KERNEL_LAUNCHER: the agent's
    # worker is a local kernel of its task, not another task.
    environment = concat(local.kernel_limits_environment, [
      { name = "KERNEL_PORT", value = tostring(local.kernel_port) },
    ])

    # As the server's container: root for the launcher alone (the agent gives the worker a uid of its own and drops
    # itself to 10001), with the same capabilities and init process.
    user            = local.app_container.user
    linuxParameters = local.app_container.linuxParameters
    stopTimeout     = local.app_container.stopTimeout

    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.app.name
        awslogs-region        = local.region
        awslogs-stream-prefix = "kernel"
      }
    }
  }
}

resource "aws_ecs_task_definition" "kernel" {
  #checkov:skip=CKV_AWS_336: As the app's task definition: notebook cells write caches and temporary files anywhere under the home and temp directories, and the task keeps no durable state on disk (notebooks live in S3).
  count = local.kernels_on_ecs ? 1 : 0

  family                   = local.kernel_family
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  # The small preset. RunTask always overrides both with the notebook's size (backend/app/core/kernel_sizes.py).
  cpu                = 512
  memory             = 1024
  execution_role_arn = aws_iam_role.execution.arn
  # What notebook cells may do in AWS, now as the task's own role: the same identity as with process kernels.
  task_role_arn = aws_iam_role.kernel.arn

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }

  container_definitions = jsonencode([local.kernel_container])
}

resource "aws_security_group" "kernel" {
  #checkov:skip=CKV2_AWS_5: Attached by the server to each kernel task it starts (RunTask's awsvpcConfiguration, KERNEL_ECS_SECURITY_GROUPS), not by a Terraform resource.
  count = local.kernels_on_ecs ? 1 : 0

  name        = "${var.name}-kernel"
  description = "Notebook kernel tasks of ${var.name}: the kernel port from the app tasks only"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "${var.name}-kernel"
  }
}

resource "aws_vpc_security_group_ingress_rule" "kernel_from_app" {
  count = local.kernels_on_ecs ? 1 : 0

  security_group_id            = aws_security_group.kernel[0].id
  description                  = "Kernel agent (TLS) from the app tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = local.kernel_port
  to_port                      = local.kernel_port
}

# The app's outbound rule already admits everything; this one says the server must reach its kernels even if that
# rule is ever narrowed.
resource "aws_vpc_security_group_egress_rule" "app_to_kernel" {
  count = local.kernels_on_ecs ? 1 : 0

  security_group_id            = aws_security_group.app.id
  description                  = "Kernel agents of the notebooks"
  referenced_security_group_id = aws_security_group.kernel[0].id
  ip_protocol                  = "tcp"
  from_port                    = local.kernel_port
  to_port                      = local.kernel_port
}

# HTTPS through NAT: Fargate pulls the image (ECR, and its layers from S3) and ships the logs through the task's own
# network interface, and cells reach AWS APIs with the kernel role, S3 (also through the gateway endpoint), and
# package indexes for %pip.
resource "aws_vpc_security_group_egress_rule" "kernel_https" {
  count = local.kernels_on_ecs ? 1 : 0

  security_group_id = aws_security_group.kernel[0].id
  description       = "HTTPS: image pull, logs, AWS APIs, package indexes"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

# The databases SQL cells connect to: any host the notebook names, on these ports only.
resource "aws_vpc_security_group_egress_rule" "kernel_databases" {
  for_each = local.kernels_on_ecs ? toset([for port in var.kernel_egress_ports : tostring(port)]) : toset([])

  security_group_id = aws_security_group.kernel[0].id
  description       = "Databases of SQL cells, port ${each.value}"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
}

# What the server does with kernel tasks, and nothing more (Service Authorization Reference, Amazon ECS).
data "aws_iam_policy_document" "task_kernels" {
  # AWS resolves a family-only taskDefinition to its latest revision before authorizing RunTask (since March 2024),
  # so the revisions' ARNs are what is authorized; the family's own ARN is kept for requests authorized by name.
  statement {
    sid       = "RunKernelTasks"
    actions   = ["ecs:RunTask"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${local.kernel_family}", "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${local.kernel_family}:*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [aws_ecs_cluster.main.arn]
    }
  }

  statement {
    sid       = "ManageKernelTasks"
    actions   = ["ecs:DescribeTasks", "ecs:StopTask"]
    resources = [local.cluster_task_arns]
  }

  # TagResource is authorized for RunTask's own tags (notebook-id, kernel-size: ecs:CreateAction is then "RunTask")
  # and for a direct call claiming a warm task for a notebook; an ecs:CreateAction condition would refuse the latter.
  # The tag keys are limited instead.
  statement {
    sid       = "TagKernelTasks"
    actions   = ["ecs:TagResource"]
    resources = [local.cluster_task_arns]

    condition {
      test     = "ForAllValues:StringEquals"
      variable = "aws:TagKeys"
      values   = ["notebook-id", "kernel-size"]
    }
  }

  statement {
    # ecs:ListTasks is authorized on container instances, which Fargate has none of: "*", limited to this cluster by
    # the ecs:cluster condition.
    sid       = "ListKernelTasks"
    actions   = ["ecs:ListTasks"]
    resources = ["*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [aws_ecs_cluster.main.arn]
    }
  }

  # A RunTask passes the kernel family's two roles to ECS; no other role, to no other service.
  statement {
    sid       = "PassKernelTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.kernel.arn, aws_iam_role.execution.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "task_kernels" {
  count = local.kernels_on_ecs ? 1 : 0

  name   = "kernel-tasks"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_kernels.json
}
