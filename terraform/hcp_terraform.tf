# The AWS roles the HCP Terraform workspace runs with (dynamic provider credentials): no AWS key exists anywhere.
# Every plan, a pull request's speculative plan included, runs the code under review, so the plan phase gets a
# read-only role; only the apply phase of a run gets the role that changes things. HCP Terraform names the phase in
# the token's subject (terraform_run_phase), after the workspace (terraform_full_workspace), and the trust of each
# role names that exact subject. Set the workspace variables TFC_AWS_PROVIDER_AUTH = true, TFC_AWS_PLAN_ROLE_ARN and
# TFC_AWS_APPLY_ROLE_ARN to the outputs (docs/DEPLOYMENT.md).

locals {
  hcp_terraform_enabled  = var.hcp_terraform_organization != null
  hcp_terraform_url      = "https://${var.hcp_terraform_hostname}"
  hcp_terraform_audience = "aws.workload.identity"
  # terraform_full_workspace, which the subject starts with.
  hcp_terraform_workspace_claim = "organization:${coalesce(var.hcp_terraform_organization, "-")}:project:${var.hcp_terraform_project}:workspace:${coalesce(var.hcp_terraform_workspace, "-")}"

  hcp_terraform_oidc_provider_arn = !local.hcp_terraform_enabled ? null : (
    var.create_hcp_terraform_oidc_provider ? aws_iam_openid_connect_provider.hcp_terraform[0].arn : data.aws_iam_openid_connect_provider.hcp_terraform[0].arn
  )

  # What this configuration creates, by name: the apply role manages these and nothing else of IAM.
  managed_role_arn_pattern = "arn:${local.partition}:iam::${local.account_id}:role/${var.name}-*"
}

# AWS validates the issuer's certificate against its own trusted CAs, so no thumbprint is configured.
resource "aws_iam_openid_connect_provider" "hcp_terraform" {
  count = local.hcp_terraform_enabled && var.create_hcp_terraform_oidc_provider ? 1 : 0

  url            = local.hcp_terraform_url
  client_id_list = [local.hcp_terraform_audience]
}

data "aws_iam_openid_connect_provider" "hcp_terraform" {
  count = local.hcp_terraform_enabled && !var.create_hcp_terraform_oidc_provider ? 1 : 0

  url = local.hcp_terraform_url
}

data "aws_iam_policy_document" "hcp_terraform_assume" {
  for_each = local.hcp_terraform_enabled ? toset(["plan", "apply"]) : toset([])

  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.hcp_terraform_oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${var.hcp_terraform_hostname}:aud"
      values   = [local.hcp_terraform_audience]
    }

    # Exact subject: this workspace, this run phase; no wildcard.
    condition {
      test     = "StringEquals"
      variable = "${var.hcp_terraform_hostname}:sub"
      values   = ["${local.hcp_terraform_workspace_claim}:run_phase:${each.key}"]
    }
  }
}

resource "aws_iam_role" "hcp_terraform" {
  for_each = data.aws_iam_policy_document.hcp_terraform_assume

  name                 = "${var.name}-terraform-${each.key}"
  description          = "HCP Terraform workspace ${coalesce(var.hcp_terraform_workspace, "-")}: the ${each.key} phase of its runs."
  assume_role_policy   = each.value.json
  max_session_duration = 3600
}

# Reading everything a plan refreshes, and no data: no S3 object, no secret but the origin header values, which the
# configuration itself reads back (and which the workspace state holds anyway).
data "aws_iam_policy_document" "hcp_terraform_plan" {
  statement {
    #checkov:skip=CKV_AWS_356: Describe, List and Get calls of the resources a plan refreshes; most have no resource-level permissions, and none of them reads data.
    sid = "ReadConfiguration"
    actions = [
      "cloudfront:Describe*",
      "cloudfront:Get*",
      "cloudfront:List*",
      "cloudwatch:Describe*",
      "cloudwatch:ListTagsForResource",
      "ec2:Describe*",
      "ecr:Describe*",
      "ecr:GetLifecyclePolicy",
      "ecr:GetRepositoryPolicy",
      "ecr:ListTagsForResource",
      "ecs:Describe*",
      "ecs:List*",
      "elasticloadbalancing:Describe*",
      "iam:GetOpenIDConnectProvider",
      "iam:GetPolicy",
      "iam:GetPolicyVersion",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListOpenIDConnectProviders",
      "iam:ListRolePolicies",
      "kms:DescribeKey",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListAliases",
      "kms:ListResourceTags",
      "logs:DescribeLogGroups",
      "logs:ListTagsForResource",
      "logs:ListTagsLogGroup",
      "s3:GetAccelerateConfiguration",
      "s3:GetBucket*",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetResourcePolicy",
      "secretsmanager:GetRandomPassword",
      "secretsmanager:ListSecretVersionIds",
      "sns:GetSubscriptionAttributes",
      "sns:GetTopicAttributes",
      "sns:ListTagsForResource",
    ]
    resources = ["*"]
  }

  statement {
    sid       = "ReadOriginVerifyValues"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [for secret in aws_secretsmanager_secret.origin_verify : secret.arn]
  }
}

# Creating, changing and deleting what this configuration declares. The services' actions stay broad (a new
# resource has no ARN to name before it exists); IAM, where broad rights would be every right, is limited to this
# configuration's own roles and OIDC providers.
data "aws_iam_policy_document" "hcp_terraform_apply" {
  statement {
    #checkov:skip=CKV_AWS_355: Terraform creates these resources, which have no ARN before they exist; the role is assumable only by this workspace's apply phase.
    #checkov:skip=CKV_AWS_356: As CKV_AWS_355.
    #checkov:skip=CKV_AWS_111: As CKV_AWS_355: the write actions are the applies' own purpose.
    #checkov:skip=CKV_AWS_109: Permissions management stays inside this configuration's services (KMS key policy, S3 bucket policies); IAM is limited below.
    #checkov:skip=CKV_AWS_108: Data exfiltration: the apply reads the secrets it writes and the bucket objects it manages.
    #checkov:skip=CKV_AWS_107: Credentials exposure: ecr:GetAuthorizationToken is in ecr:*, which only the apply phase holds.
    #checkov:skip=CKV_AWS_110: Privilege escalation: IAM writes are limited to this configuration's roles in the next statement.
    sid = "ManageTheStack"
    actions = [
      "cloudfront:*",
      "cloudwatch:*",
      "ec2:*",
      "ecr:*",
      "ecs:*",
      "elasticloadbalancing:*",
      "kms:*",
      "logs:*",
      "s3:*",
      "secretsmanager:*",
      "sns:*",
    ]
    resources = ["*"]
  }

  statement {
    #checkov:skip=CKV_AWS_110: The roles are this configuration's own (name prefix); the trust policies it writes are reviewed in plans.
    sid = "ManageOwnRoles"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListInstanceProfilesForRole",
      "iam:ListRolePolicies",
      "iam:PassRole",
      "iam:PutRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = [local.managed_role_arn_pattern]
  }

  statement {
    sid = "ManageOidcProviders"
    actions = [
      "iam:AddClientIDToOpenIDConnectProvider",
      "iam:CreateOpenIDConnectProvider",
      "iam:DeleteOpenIDConnectProvider",
      "iam:GetOpenIDConnectProvider",
      "iam:RemoveClientIDFromOpenIDConnectProvider",
      "iam:TagOpenIDConnectProvider",
      "iam:UntagOpenIDConnectProvider",
      "iam:UpdateOpenIDConnectProviderThumbprint",
    ]
    resources = [
      "arn:${local.partition}:iam::${local.account_id}:oidc-provider/token.actions.githubusercontent.com",
      "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${var.hcp_terraform_hostname}",
    ]
  }

  statement {
    #checkov:skip=CKV_AWS_356: Listing has no resource type.
    sid       = "ReadIam"
    actions   = ["iam:GetPolicy", "iam:GetPolicyVersion", "iam:ListOpenIDConnectProviders"]
    resources = ["*"]
  }

  statement {
    # ECS, the ALB and ECR create their service-linked roles on first use in an account.
    sid       = "CreateServiceLinkedRoles"
    actions   = ["iam:CreateServiceLinkedRole"]
    resources = ["arn:${local.partition}:iam::${local.account_id}:role/aws-service-role/*"]
  }
}

resource "aws_iam_role_policy" "hcp_terraform_plan" {
  count = local.hcp_terraform_enabled ? 1 : 0

  name   = "read-only"
  role   = aws_iam_role.hcp_terraform["plan"].id
  policy = data.aws_iam_policy_document.hcp_terraform_plan.json
}

resource "aws_iam_role_policy" "hcp_terraform_apply" {
  count = local.hcp_terraform_enabled ? 1 : 0

  name   = "manage-the-stack"
  role   = aws_iam_role.hcp_terraform["apply"].id
  policy = data.aws_iam_policy_document.hcp_terraform_apply.json
}
