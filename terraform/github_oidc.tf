locals {
  github_oidc_url = "https://token.actions.githubusercontent.com"

  # A job without an environment presents its ref; a job with one presents the environment instead.
  github_subjects = concat(
    [for branch in var.github_branches : "repo:${var.github_repository}:ref:refs/heads/${branch}"],
    [for environment in var.github_environments : "repo:${var.github_repository}:environment:${environment}"],
  )

  github_oidc_provider_arn = var.create_github_oidc_provider ? aws_iam_openid_connect_provider.github[0].arn : data.aws_iam_openid_connect_provider.github[0].arn

  ecs_service_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:service/${aws_ecs_cluster.main.name}/${aws_ecs_service.app.name}"
  # Every revision of the app's task definition family.
  ecs_task_definitions_arn = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${aws_ecs_task_definition.app.family}:*"
}

# AWS validates GitHub's certificate against its own trusted CAs, so no thumbprint is configured.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 1 : 0

  url            = local.github_oidc_url
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_openid_connect_provider" "github" {
  count = var.create_github_oidc_provider ? 0 : 1

  url = local.github_oidc_url
}

data "aws_iam_policy_document" "github_assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.github_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:aud"
      values   = ["sts.amazonaws.com"]
    }

    # Exact subjects only (StringEquals, no wildcards): this repository's branches and environments.
    condition {
      test     = "StringEquals"
      variable = "token.actions.githubusercontent.com:sub"
      values   = local.github_subjects
    }
  }
}

resource "aws_iam_role" "deploy" {
  name                 = "${var.name}-github-deploy"
  description          = "GitHub Actions in ${var.github_repository} push the image, deploy the ECS service and publish the SPA."
  assume_role_policy   = data.aws_iam_policy_document.github_assume.json
  max_session_duration = 3600
}

data "aws_iam_policy_document" "deploy" {
  statement {
    #checkov:skip=CKV_AWS_356: These actions have no resource type, so AWS requires "*": ECR login, and ECS task definition register/describe/list (read-only, or a new revision that nothing runs until UpdateService, which is scoped below).
    #checkov:skip=CKV_AWS_111: As CKV_AWS_356: ecs:RegisterTaskDefinition cannot be scoped to a resource; PassRole below limits which roles a registered revision can carry.
    sid = "ActionsWithoutResourceTypes"
    actions = [
      "ecr:GetAuthorizationToken",
      "ecs:DescribeTaskDefinition",
      "ecs:ListTaskDefinitions",
      "ecs:RegisterTaskDefinition",
    ]
    resources = ["*"]
  }

  statement {
    sid = "PushPullAppImageAndCache"
    actions = [
      "ecr:BatchCheckLayerAvailability",
      "ecr:BatchGetImage",
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:DescribeRepositories",
      "ecr:GetDownloadUrlForLayer",
      "ecr:InitiateLayerUpload",
      "ecr:ListImages",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.app.arn, aws_ecr_repository.cache.arn]
  }

  statement {
    sid       = "DeployService"
    actions   = ["ecs:DescribeServices", "ecs:UpdateService"]
    resources = [local.ecs_service_arn]
  }

  statement {
    sid       = "DescribeCluster"
    actions   = ["ecs:DescribeClusters"]
    resources = [aws_ecs_cluster.main.arn]
  }

  # Stopped tasks' reasons and exit codes when a rollout fails. Not the notebooks' kernel tasks (kernels.tf), the
  # ones tagged notebook-id: their RunTask overrides hold each kernel's secret.
  statement {
    sid       = "DescribeServiceTasks"
    actions   = ["ecs:DescribeTasks"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task/${aws_ecs_cluster.main.name}/*"]

    condition {
      test     = "Null"
      variable = "aws:ResourceTag/notebook-id"
      values   = ["true"]
    }
  }

  statement {
    #checkov:skip=CKV_AWS_356: ecs:ListTasks is authorized on container instances, which Fargate has none of; the ecs:cluster condition limits it to this cluster.
    sid       = "ListServiceTasks"
    actions   = ["ecs:ListTasks"]
    resources = ["*"]

    condition {
      test     = "ArnEquals"
      variable = "ecs:cluster"
      values   = [aws_ecs_cluster.main.arn]
    }
  }

  # deploy-ecs keeps the running revision's tags and tags each revision it rolled out, so `previous` is exact.
  statement {
    sid       = "TagAppTaskDefinitions"
    actions   = ["ecs:ListTagsForResource", "ecs:TagResource"]
    resources = [local.ecs_task_definitions_arn]
  }

  statement {
    sid       = "PassTaskRoles"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.execution.arn, aws_iam_role.task.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }

  statement {
    sid       = "ListSpaBucket"
    actions   = ["s3:ListBucket"]
    resources = [module.spa_bucket.arn]
  }

  statement {
    sid       = "WriteSpaObjects"
    actions   = ["s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    resources = ["${module.spa_bucket.arn}/*"]
  }

  statement {
    sid = "InvalidateDistribution"
    actions = [
      "cloudfront:CreateInvalidation",
      "cloudfront:GetDistribution",
      "cloudfront:GetInvalidation",
      "cloudfront:ListInvalidations",
    ]
    resources = [aws_cloudfront_distribution.app.arn]
  }

  # The smoke test authenticates with the app's token. Reading it grants nothing new: this role already deploys the code that holds it.
  statement {
    sid       = "ReadAccessToken"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.access_token.arn]
  }
}

resource "aws_iam_role_policy" "deploy" {
  name   = "deploy"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy.json
}

# Kernels as ECS tasks: each deploy renders the kernel family with the app's image (deploy-ecs's
# kernel-task-definition), keeping its tags, and its revisions run as the kernel role.
data "aws_iam_policy_document" "deploy_kernels" {
  statement {
    sid       = "TagKernelTaskDefinitions"
    actions   = ["ecs:ListTagsForResource", "ecs:TagResource"]
    resources = ["arn:${local.partition}:ecs:${local.region}:${local.account_id}:task-definition/${local.kernel_family}:*"]
  }

  statement {
    sid       = "PassKernelRole"
    actions   = ["iam:PassRole"]
    resources = [aws_iam_role.kernel.arn]

    condition {
      test     = "StringEquals"
      variable = "iam:PassedToService"
      values   = ["ecs-tasks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "deploy_kernels" {
  count = local.kernels_on_ecs ? 1 : 0

  name   = "deploy-kernels"
  role   = aws_iam_role.deploy.id
  policy = data.aws_iam_policy_document.deploy_kernels.json
}
