terraform {
  required_version = ">= 1.11.0"

  required_providers {
    aws = {
      source = "hashicorp/aws"
      # The root configuration's constraint: one provider build, the one its lock file pins, for both.
      version = "~> 5.100"
    }
  }
}
