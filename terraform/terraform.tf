terraform {
  # 1.11: write-only arguments keep the generated access token out of state and plans.
  required_version = ">= 1.11.0"

  # Organization and workspace come from TF_CLOUD_ORGANIZATION and TF_WORKSPACE, so no name is hard-coded here.
  cloud {}

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # 5.100 or a later 5.x: the release the provider lock pins is the one every plan and apply uses.
      version = "~> 5.100"
    }
  }
}
