# Durable notebooks: the app writes every change here before acknowledging it.
resource "aws_s3_bucket" "notebooks" {
  #checkov:skip=CKV_AWS_18: Access to notebooks goes through the task role only; server access logs would need another bucket for no new actor to audit.
  #checkov:skip=CKV_AWS_144: Versioning protects against overwrites and deletes; cross-Region replication doubles storage for a single-Region app.
  #checkov:skip=CKV2_AWS_62: Nothing reacts to notebook writes; the app reads the bucket itself.
  bucket = "${var.name}-notebooks-${local.account_id}-${local.region}"
}

resource "aws_s3_bucket_versioning" "notebooks" {
  bucket = aws_s3_bucket.notebooks.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "notebooks" {
  bucket = aws_s3_bucket.notebooks.id

  rule {
    # The AWS managed aws/s3 key with a bucket key: KMS encryption without a key to manage or many KMS calls.
    apply_server_side_encryption_by_default {
      sse_algorithm = "aws:kms"
    }
    bucket_key_enabled = true
  }
}

resource "aws_s3_bucket_public_access_block" "notebooks" {
  bucket = aws_s3_bucket.notebooks.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "notebooks" {
  bucket = aws_s3_bucket.notebooks.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "notebooks" {
  bucket = aws_s3_bucket.notebooks.id

  rule {
    id     = "expire-old-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.notebook_version_retention_days
    }

    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.notebooks]
}

data "aws_iam_policy_document" "notebooks_bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.notebooks.arn, "${aws_s3_bucket.notebooks.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "notebooks" {
  bucket = aws_s3_bucket.notebooks.id
  policy = data.aws_iam_policy_document.notebooks_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.notebooks]
}
