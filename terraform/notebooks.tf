# Durable notebooks: the app writes every change here before acknowledging it.
module "notebook_bucket" {
  source = "./modules/private-bucket"

  bucket = "${var.name}-notebooks-${local.account_id}-${local.region}"
  # The AWS managed aws/s3 key with a bucket key: KMS encryption without a key to manage or many KMS calls.
  sse_algorithm                          = "aws:kms"
  noncurrent_version_retention_days      = var.notebook_version_retention_days
  abort_incomplete_multipart_upload_days = 7
}

# The bucket and its settings were resources of this file before the module: their state moves, nothing is replaced.
moved {
  from = aws_s3_bucket.notebooks
  to   = module.notebook_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_versioning.notebooks
  to   = module.notebook_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.notebooks
  to   = module.notebook_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_public_access_block.notebooks
  to   = module.notebook_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_ownership_controls.notebooks
  to   = module.notebook_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.notebooks
  to   = module.notebook_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.notebooks
  to   = module.notebook_bucket.aws_s3_bucket_policy.this
}
