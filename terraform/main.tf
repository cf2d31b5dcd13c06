locals {
  tags = merge(
    {
      Project    = var.name
      Repository = var.github_repository
      ManagedBy  = "terraform"
    },
    var.tags,
  )

  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name

  # The app contract: one container named "app" answering HTTP on 8000 with /health.
  container_name = "app"
  container_port = 8000
  health_path    = "/health"
}

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

data "aws_region" "current" {}
