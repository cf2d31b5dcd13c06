# The AWS roles the HCP Terraform workspace runs with (dynamic provider credentials): no AWS key exists anywhere.
# Every plan, a pull request's speculative plan included, runs the code under review, so the plan phase gets a
# read-only role; only the apply phase of a run gets the role that changes things. HCP Terraform names the workspace
# (terraform_full_workspace) and the phase (terraform_run_phase) in the token's subject, and each role trusts that
# exact subject. Set the workspace variables TFC_AWS_PROVIDER_AUTH = true, TFC_AWS_PLAN_ROLE_ARN and
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

  # What this configuration creates, by ARN: the apply role may change these and nothing else.
  stack_arns = {
    ec2            = "arn:${local.partition}:ec2:${local.region}:${local.account_id}:*"
    elb            = "arn:${local.partition}:elasticloadbalancing:${local.region}:${local.account_id}:*/${var.name}*"
    ecs            = "arn:${local.partition}:ecs:${local.region}:${local.account_id}:*"
    ecr            = "arn:${local.partition}:ecr:${local.region}:${local.account_id}:repository/${var.name}*"
    buckets        = "arn:${local.partition}:s3:::${var.name}-*"
    cloudfront     = "arn:${local.partition}:cloudfront::${local.account_id}:*"
    secrets        = "arn:${local.partition}:secretsmanager:${local.region}:${local.account_id}:secret:${var.name}/*"
    logs           = "arn:${local.partition}:logs:${local.region}:${local.account_id}:log-group:/ecs/${var.name}*"
    keys           = "arn:${local.partition}:kms:${local.region}:${local.account_id}:key/*"
    topics         = "arn:${local.partition}:sns:${local.region}:${local.account_id}:${var.name}-*"
    alarms         = "arn:${local.partition}:cloudwatch:${local.region}:${local.account_id}:alarm:${var.name}-*"
    roles          = "arn:${local.partition}:iam::${local.account_id}:role/${var.name}-*"
    github_oidc    = "arn:${local.partition}:iam::${local.account_id}:oidc-provider/token.actions.githubusercontent.com"
    terraform_oidc = "arn:${local.partition}:iam::${local.account_id}:oidc-provider/${var.hcp_terraform_hostname}"
  }
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

data "aws_iam_policy_document" "hcp_terraform_plan_assume" {
  count = local.hcp_terraform_enabled ? 1 : 0

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

    condition {
      test     = "StringEquals"
      variable = "${var.hcp_terraform_hostname}:sub"
      values   = ["${local.hcp_terraform_workspace_claim}:run_phase:plan"]
    }
  }
}

data "aws_iam_policy_document" "hcp_terraform_apply_assume" {
  count = local.hcp_terraform_enabled ? 1 : 0

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

    # Only the apply phase: a speculative plan has none, and a plan phase gets the read-only role.
    condition {
      test     = "StringEquals"
      variable = "${var.hcp_terraform_hostname}:sub"
      values   = ["${local.hcp_terraform_workspace_claim}:run_phase:apply"]
    }
  }
}

resource "aws_iam_role" "hcp_terraform_plan" {
  count = local.hcp_terraform_enabled ? 1 : 0

  name                 = "${var.name}-terraform-plan"
  description          = "HCP Terraform workspace ${coalesce(var.hcp_terraform_workspace, "-")}: the plan phase of its runs (read-only)."
  assume_role_policy   = data.aws_iam_policy_document.hcp_terraform_plan_assume[0].json
  max_session_duration = 3600
}

resource "aws_iam_role" "hcp_terraform_apply" {
  count = local.hcp_terraform_enabled ? 1 : 0

  name                 = "${var.name}-terraform-apply"
  description          = "HCP Terraform workspace ${coalesce(var.hcp_terraform_workspace, "-")}: the apply phase of its runs."
  assume_role_policy   = data.aws_iam_policy_document.hcp_terraform_apply_assume[0].json
  max_session_duration = 3600
}

# What a plan refreshes, and no data: no S3 object, no secret but the origin header values, which the configuration
# itself reads back (and which the workspace state holds anyway).
data "aws_iam_policy_document" "hcp_terraform_plan" {
  statement {
    #checkov:skip=CKV_AWS_356: Describe and List calls that have no resource type (EC2, ELB, the managed CloudFront policies, IAM providers); none reads data.
    sid = "ReadWithoutResourceTypes"
    actions = [
      "cloudfront:ListCachePolicies",
      "cloudfront:ListOriginRequestPolicies",
      "cloudfront:ListResponseHeadersPolicies",
      "ec2:DescribeAddresses",
      "ec2:DescribeAddressesAttribute",
      "ec2:DescribeAvailabilityZones",
      "ec2:DescribeInternetGateways",
      "ec2:DescribeManagedPrefixLists",
      "ec2:DescribeNatGateways",
      "ec2:DescribeNetworkInterfaces",
      "ec2:DescribePrefixLists",
      "ec2:DescribeRouteTables",
      "ec2:DescribeSecurityGroupRules",
      "ec2:DescribeSecurityGroups",
      "ec2:DescribeSubnets",
      "ec2:DescribeVpcAttribute",
      "ec2:DescribeVpcEndpoints",
      "ec2:DescribeVpcs",
      "elasticloadbalancing:DescribeListenerAttributes",
      "elasticloadbalancing:DescribeListeners",
      "elasticloadbalancing:DescribeLoadBalancerAttributes",
      "elasticloadbalancing:DescribeLoadBalancers",
      "elasticloadbalancing:DescribeRules",
      "elasticloadbalancing:DescribeTags",
      "elasticloadbalancing:DescribeTargetGroupAttributes",
      "elasticloadbalancing:DescribeTargetGroups",
      "ecs:DescribeTaskDefinition",
      "iam:ListOpenIDConnectProviders",
      "logs:DescribeLogGroups",
      "secretsmanager:GetRandomPassword",
    ]
    resources = ["*"]
  }

  statement {
    sid = "ReadTheStack"
    actions = [
      "cloudfront:GetCachePolicy",
      "cloudfront:GetDistribution",
      "cloudfront:GetDistributionConfig",
      "cloudfront:GetFunction",
      "cloudfront:GetOriginAccessControl",
      "cloudfront:GetOriginRequestPolicy",
      "cloudfront:GetResponseHeadersPolicy",
      "cloudfront:DescribeFunction",
      "cloudfront:ListTagsForResource",
      "cloudwatch:DescribeAlarms",
      "cloudwatch:ListTagsForResource",
      "ecr:DescribeRepositories",
      "ecr:GetLifecyclePolicy",
      "ecr:ListTagsForResource",
      "ecs:DescribeClusters",
      "ecs:DescribeServices",
      "ecs:ListTagsForResource",
      "iam:GetOpenIDConnectProvider",
      "iam:GetRole",
      "iam:GetRolePolicy",
      "iam:ListAttachedRolePolicies",
      "iam:ListRolePolicies",
      "kms:DescribeKey",
      "kms:GetKeyPolicy",
      "kms:GetKeyRotationStatus",
      "kms:ListResourceTags",
      "logs:ListTagsForResource",
      "s3:GetAccelerateConfiguration",
      "s3:GetBucketAcl",
      "s3:GetBucketCORS",
      "s3:GetBucketLogging",
      "s3:GetBucketObjectLockConfiguration",
      "s3:GetBucketOwnershipControls",
      "s3:GetBucketPolicy",
      "s3:GetBucketPublicAccessBlock",
      "s3:GetBucketRequestPayment",
      "s3:GetBucketTagging",
      "s3:GetBucketVersioning",
      "s3:GetBucketWebsite",
      "s3:GetEncryptionConfiguration",
      "s3:GetLifecycleConfiguration",
      "s3:GetReplicationConfiguration",
      "s3:ListBucket",
      "secretsmanager:DescribeSecret",
      "secretsmanager:GetResourcePolicy",
      "sns:GetSubscriptionAttributes",
      "sns:GetTopicAttributes",
      "sns:ListTagsForResource",
    ]
    resources = [
      local.stack_arns.alarms,
      local.stack_arns.buckets,
      local.stack_arns.cloudfront,
      local.stack_arns.ecr,
      local.stack_arns.ecs,
      local.stack_arns.github_oidc,
      local.stack_arns.keys,
      local.stack_arns.logs,
      local.stack_arns.roles,
      local.stack_arns.secrets,
      local.stack_arns.terraform_oidc,
      local.stack_arns.topics,
    ]
  }

  statement {
    sid       = "ReadOriginVerifyValues"
    actions   = ["secretsmanager:GetSecretValue"]
    resources = [aws_secretsmanager_secret.origin_verify["a"].arn, aws_secretsmanager_secret.origin_verify["b"].arn]
  }
}

# Creating, changing and deleting what this configuration declares, each service limited to this account, Region
# and, where AWS allows, the names this configuration gives; IAM to its own roles and OIDC providers.
data "aws_iam_policy_document" "hcp_terraform_apply" {
  source_policy_documents = [data.aws_iam_policy_document.hcp_terraform_plan.json]

  statement {
    #checkov:skip=CKV_AWS_356: Creating these has no resource type, or the new resource has no ARN yet; everything after creation is scoped below.
    #checkov:skip=CKV_AWS_111: As CKV_AWS_356.
    sid = "CreateWithoutResourceTypes"
    actions = [
      "cloudfront:CreateOriginAccessControl",
      "ecs:DeregisterTaskDefinition",
      "ecs:RegisterTaskDefinition",
      "kms:CreateKey",
    ]
    resources = ["*"]
  }

  statement {
    sid = "ChangeTheNetwork"
    actions = [
      "ec2:AllocateAddress",
      "ec2:AssociateRouteTable",
      "ec2:AttachInternetGateway",
      "ec2:AuthorizeSecurityGroupEgress",
      "ec2:AuthorizeSecurityGroupIngress",
      "ec2:CreateInternetGateway",
      "ec2:CreateNatGateway",
      "ec2:CreateRoute",
      "ec2:CreateRouteTable",
      "ec2:CreateSecurityGroup",
      "ec2:CreateSubnet",
      "ec2:CreateTags",
      "ec2:CreateVpc",
      "ec2:CreateVpcEndpoint",
      "ec2:DeleteInternetGateway",
      "ec2:DeleteNatGateway",
      "ec2:DeleteRoute",
      "ec2:DeleteRouteTable",
      "ec2:DeleteSecurityGroup",
      "ec2:DeleteSubnet",
      "ec2:DeleteTags",
      "ec2:DeleteVpc",
      "ec2:DeleteVpcEndpoints",
      "ec2:DetachInternetGateway",
      "ec2:DisassociateAddress",
      "ec2:DisassociateRouteTable",
      "ec2:ModifySecurityGroupRules",
      "ec2:ModifySubnetAttribute",
      "ec2:ModifyVpcAttribute",
      "ec2:ModifyVpcEndpoint",
      "ec2:ReleaseAddress",
      "ec2:ReplaceRoute",
      "ec2:RevokeSecurityGroupEgress",
      "ec2:RevokeSecurityGroupIngress",
      "ec2:UpdateSecurityGroupRuleDescriptionsEgress",
      "ec2:UpdateSecurityGroupRuleDescriptionsIngress",
    ]
    resources = [local.stack_arns.ec2]
  }

  statement {
    sid = "ChangeTheLoadBalancer"
    actions = [
      "elasticloadbalancing:AddTags",
      "elasticloadbalancing:CreateListener",
      "elasticloadbalancing:CreateLoadBalancer",
      "elasticloadbalancing:CreateRule",
      "elasticloadbalancing:CreateTargetGroup",
      "elasticloadbalancing:DeleteListener",
      "elasticloadbalancing:DeleteLoadBalancer",
      "elasticloadbalancing:DeleteRule",
      "elasticloadbalancing:DeleteTargetGroup",
      "elasticloadbalancing:ModifyListener",
      "elasticloadbalancing:ModifyListenerAttributes",
      "elasticloadbalancing:ModifyLoadBalancerAttributes",
      "elasticloadbalancing:ModifyRule",
      "elasticloadbalancing:ModifyTargetGroup",
      "elasticloadbalancing:ModifyTargetGroupAttributes",
      "elasticloadbalancing:RemoveTags",
      "elasticloadbalancing:SetSecurityGroups",
      "elasticloadbalancing:SetSubnets",
    ]
    resources = [local.stack_arns.elb]
  }

  statement {
    sid = "ChangeTheService"
    actions = [
      "ecr:CreateRepository",
      "ecr:DeleteLifecyclePolicy",
      "ecr:DeleteRepository",
      "ecr:PutImageScanningConfiguration",
      "ecr:PutImageTagMutability",
      "ecr:PutLifecyclePolicy",
      "ecr:TagResource",
      "ecr:UntagResource",
      "ecs:CreateCluster",
      "ecs:CreateService",
      "ecs:DeleteCluster",
      "ecs:DeleteService",
      "ecs:PutClusterCapacityProviders",
      "ecs:TagResource",
      "ecs:UntagResource",
      "ecs:UpdateCluster",
      "ecs:UpdateClusterSettings",
      "ecs:UpdateService",
      "logs:CreateLogGroup",
      "logs:DeleteLogGroup",
      "logs:DeleteRetentionPolicy",
      "logs:PutRetentionPolicy",
      "logs:TagResource",
      "logs:UntagResource",
    ]
    resources = [local.stack_arns.ecr, local.stack_arns.ecs, local.stack_arns.logs]
  }

  statement {
    sid = "ChangeTheBucketsAndTheEdge"
    actions = [
      "cloudfront:CreateDistribution",
      "cloudfront:CreateDistributionWithTags",
      "cloudfront:CreateFunction",
      "cloudfront:DeleteDistribution",
      "cloudfront:DeleteFunction",
      "cloudfront:DeleteOriginAccessControl",
      "cloudfront:PublishFunction",
      "cloudfront:TagResource",
      "cloudfront:UntagResource",
      "cloudfront:UpdateDistribution",
      "cloudfront:UpdateFunction",
      "cloudfront:UpdateOriginAccessControl",
      "s3:CreateBucket",
      "s3:DeleteBucket",
      "s3:DeleteBucketPolicy",
      "s3:PutBucketOwnershipControls",
      "s3:PutBucketPolicy",
      "s3:PutBucketPublicAccessBlock",
      "s3:PutBucketTagging",
      "s3:PutBucketVersioning",
      "s3:PutEncryptionConfiguration",
      "s3:PutLifecycleConfiguration",
    ]
    resources = [local.stack_arns.buckets, local.stack_arns.cloudfront]
  }

  statement {
    sid = "ChangeSecretsKeysAndAlarms"
    actions = [
      "cloudwatch:DeleteAlarms",
      "cloudwatch:PutMetricAlarm",
      "cloudwatch:TagResource",
      "cloudwatch:UntagResource",
      "kms:EnableKeyRotation",
      "kms:PutKeyPolicy",
      "kms:ScheduleKeyDeletion",
      "kms:TagResource",
      "kms:UntagResource",
      "kms:UpdateKeyDescription",
      "secretsmanager:CreateSecret",
      "secretsmanager:DeleteSecret",
      "secretsmanager:PutSecretValue",
      "secretsmanager:TagResource",
      "secretsmanager:UntagResource",
      "secretsmanager:UpdateSecret",
      "sns:CreateTopic",
      "sns:DeleteTopic",
      "sns:SetTopicAttributes",
      "sns:Subscribe",
      "sns:TagResource",
      "sns:Unsubscribe",
      "sns:UntagResource",
    ]
    resources = [local.stack_arns.alarms, local.stack_arns.keys, local.stack_arns.secrets, local.stack_arns.topics]
  }

  statement {
    #checkov:skip=CKV_AWS_110: The roles are this configuration's own (name prefix), and every trust and policy they get is reviewed in a plan first.
    sid = "ChangeOwnRoles"
    actions = [
      "iam:AttachRolePolicy",
      "iam:CreateRole",
      "iam:DeleteRole",
      "iam:DeleteRolePolicy",
      "iam:DetachRolePolicy",
      "iam:ListInstanceProfilesForRole",
      "iam:PassRole",
      "iam:PutRolePolicy",
      "iam:TagRole",
      "iam:UntagRole",
      "iam:UpdateAssumeRolePolicy",
      "iam:UpdateRole",
      "iam:UpdateRoleDescription",
    ]
    resources = [local.stack_arns.roles]
  }

  statement {
    sid = "ChangeOidcProviders"
    actions = [
      "iam:AddClientIDToOpenIDConnectProvider",
      "iam:CreateOpenIDConnectProvider",
      "iam:DeleteOpenIDConnectProvider",
      "iam:RemoveClientIDFromOpenIDConnectProvider",
      "iam:TagOpenIDConnectProvider",
      "iam:UntagOpenIDConnectProvider",
      "iam:UpdateOpenIDConnectProviderThumbprint",
    ]
    resources = [local.stack_arns.github_oidc, local.stack_arns.terraform_oidc]
  }
}

resource "aws_iam_role_policy" "hcp_terraform_plan" {
  count = local.hcp_terraform_enabled ? 1 : 0

  name   = "read-only"
  role   = aws_iam_role.hcp_terraform_plan[0].id
  policy = data.aws_iam_policy_document.hcp_terraform_plan.json
}

resource "aws_iam_role_policy" "hcp_terraform_apply" {
  count = local.hcp_terraform_enabled ? 1 : 0

  name   = "manage-the-stack"
  role   = aws_iam_role.hcp_terraform_apply[0].id
  policy = data.aws_iam_policy_document.hcp_terraform_apply.json
}
