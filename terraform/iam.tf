# ECS assumes both task roles, only on behalf of this account's tasks in this Region (confused-deputy guard).
data "aws_iam_policy_document" "ecs_tasks_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["ecs-tasks.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "ArnLike"
      variable = "aws:SourceArn"
      values   = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"]
    }
  }
}

# Execution role: what ECS itself needs to start the task (pull the image, ship logs, read the secrets it injects).
resource "aws_iam_role" "execution" {
  name               = "${var.name}-ecs-execution"
  description        = "ECS pulls the ${var.name} image, writes its logs and injects its secrets."
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "execution" {
  statement {
    #checkov:skip=CKV_AWS_356: ecr:GetAuthorizationToken has no resource type: AWS requires "*".
    sid       = "EcrLogin"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid = "PullAppImage"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:GetDownloadUrlForLayer",
    ]
    resources = [aws_ecr_repository.app.arn]
  }

  statement {
    sid       = "WriteAppLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.app.arn}:*"]
  }

  statement {
    sid       = "ReadAppSecrets"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = local.app_secrets[*].valueFrom
  }
}

resource "aws_iam_role_policy" "execution" {
  name   = "start-task"
  role   = aws_iam_role.execution.id
  policy = data.aws_iam_policy_document.execution.json
}

# Task role: what the app itself may do: read and write notebooks in its bucket, append to and read its audit log
# (audit.tf), assume the kernel role.
resource "aws_iam_role" "task" {
  name               = "${var.name}-ecs-task"
  description        = "The ${var.name} app reads and writes its notebook bucket."
  assume_role_policy = data.aws_iam_policy_document.ecs_tasks_assume.json
}

data "aws_iam_policy_document" "task" {
  statement {
    sid = "ListNotebooks"
    # Versions: a notebook's history and the deleted notebooks that can be brought back.
    actions   = ["s3:ListBucket", "s3:ListBucketVersions"]
    resources = [module.notebook_bucket.arn]
  }

  statement {
    sid = "ReadWriteNotebooks"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:DeleteObject",
      "s3:GetObject",
      "s3:GetObjectVersion",
      "s3:PutObject",
    ]
    resources = ["${module.notebook_bucket.arn}/*"]
  }
}

resource "aws_iam_role_policy" "task" {
  name   = "notebook-storage"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task.json
}

# Kernel role: what notebook cells may do in AWS, never the task role's power. The server assumes it (role chaining:
# sessions of at most an hour) once per notebook, with the notebook's id as the session name, and serves the
# credentials to that notebook's kernel alone (docs/ARCHITECTURE.md, "Kernel isolation"). No permission but those of
# var.kernel_policy_arns.
data "aws_iam_policy_document" "kernel_assume" {
  # Kernel tasks (kernel_launcher = "ecs") run as this role too: ECS assumes it for them, on the same terms as for
  # the app's task.
  source_policy_documents = local.kernels_on_ecs ? [data.aws_iam_policy_document.ecs_tasks_assume.json] : []

  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "AWS"
      identifiers = [aws_iam_role.task.arn]
    }
  }
}

resource "aws_iam_role" "kernel" {
  name                 = "${var.name}-kernel"
  description          = "What the ${var.name} notebook cells may do in AWS; assumed by the app's task role${local.kernels_on_ecs ? " and by ECS for kernel tasks" : " only"}."
  assume_role_policy   = data.aws_iam_policy_document.kernel_assume.json
  max_session_duration = 3600
}

resource "aws_iam_role_policy_attachment" "kernel" {
  for_each = toset(var.kernel_policy_arns)

  role       = aws_iam_role.kernel.name
  policy_arn = each.value
}

data "aws_iam_policy_document" "kernel_data" {
  count = length(var.kernel_data_buckets) > 0 ? 1 : 0

  statement {
    sid       = "ListDataBuckets"
    actions   = ["s3:ListBucket"]
    resources = [for bucket in var.kernel_data_buckets : "arn:${local.partition}:s3:::${bucket}"]
  }

  statement {
    sid       = "ReadDataObjects"
    actions   = ["s3:GetObject"]
    resources = [for bucket in var.kernel_data_buckets : "arn:${local.partition}:s3:::${bucket}/*"]
  }
}

resource "aws_iam_role_policy" "kernel_data" {
  count = length(var.kernel_data_buckets) > 0 ? 1 : 0

  name   = "read-data-buckets"
  role   = aws_iam_role.kernel.id
  policy = data.aws_iam_policy_document.kernel_data[0].json
}

data "aws_iam_policy_document" "task_kernel_role" {
  statement {
    sid       = "AssumeKernelRole"
    actions   = ["sts:AssumeRole"]
    resources = [aws_iam_role.kernel.arn]
  }
}

resource "aws_iam_role_policy" "task_kernel_role" {
  name   = "kernel-role"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_kernel_role.json
}
