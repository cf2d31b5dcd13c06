# A private S3 bucket hardened once for every caller: versioned, encrypted by default, no public access, ACLs
# disabled, old versions expiring, and a policy that denies every request without TLS besides the caller's own
# statements. The checkov skips below name the reason for each caller (frontend.tf's SPA bucket, notebooks.tf's
# notebook bucket).
resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_18: SPA: every read goes through CloudFront; notebooks: access goes through the task role only. Server access logs would need another bucket and show no new actor to audit.
  #checkov:skip=CKV_AWS_144: SPA: a rebuildable static site, publish-spa can re-publish any release; notebooks: versioning protects against overwrites and deletes. Cross-Region replication would only double storage for a single-Region app.
  #checkov:skip=CKV_AWS_145: SPA (sse_algorithm = "AES256"): CloudFront (Origin Access Control) cannot decrypt objects under the AWS managed aws/s3 KMS key; SSE-S3 encrypts them at rest. The notebook bucket uses aws:kms.
  #checkov:skip=CKV2_AWS_62: Nothing reacts to writes: publish-spa invalidates CloudFront itself, and the app reads the notebook bucket itself.
  bucket = var.bucket
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    # aws:kms without a key ID is the AWS managed aws/s3 key; a bucket key spares most of the KMS calls.
    apply_server_side_encryption_by_default {
      sse_algorithm = var.sse_algorithm
    }
    bucket_key_enabled = var.sse_algorithm == "aws:kms" ? true : null
  }
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket = aws_s3_bucket.this.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-old-versions"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_retention_days
    }

    expiration {
      expired_object_delete_marker = true
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

# The caller's statements first, then the deny of every request without TLS.
data "aws_iam_policy_document" "this" {
  source_policy_documents = var.source_policy_documents

  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.this.arn, "${aws_s3_bucket.this.arn}/*"]

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

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.this.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}
