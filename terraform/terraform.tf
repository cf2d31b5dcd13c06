terraform {
  # 1.11: write-only arguments keep the generated access token out of state and plans.
  required_version = ">= 1.11.0"

  # Organization and workspace come from TF_CLOUD_ORGANIZATION and TF_WORKSPACE, so no name is hard-coded here.
  cloud {}

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.14"
    }
    random = {
      source  = "hashicorp/random"
      version = "~> 3.7"
    }
  }
}
