variable "bucket" {
  type        = string
  description = "Name of the bucket (globally unique; the callers add the account ID and the Region)."

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.bucket)) && !strcontains(var.bucket, "..")
    error_message = "The bucket must be 3-63 lowercase letters, digits, dots or hyphens, starting and ending with a letter or digit."
  }
}

variable "sse_algorithm" {
  type        = string
  description = "Default server-side encryption: \"aws:kms\" (the AWS managed aws/s3 key, with a bucket key) or \"AES256\" (SSE-S3, for a bucket CloudFront reads through Origin Access Control, which cannot decrypt objects under the AWS managed key)."
  default     = "aws:kms"

  validation {
    condition     = contains(["aws:kms", "AES256"], var.sse_algorithm)
    error_message = "The sse_algorithm must be \"aws:kms\" or \"AES256\"."
  }
}

variable "noncurrent_version_retention_days" {
  type        = number
  description = "Days an overwritten or deleted object version is kept before it expires."

  validation {
    condition     = var.noncurrent_version_retention_days >= 1 && floor(var.noncurrent_version_retention_days) == var.noncurrent_version_retention_days
    error_message = "The noncurrent_version_retention_days must be a whole number of days, at least 1."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  type        = number
  description = "Days after which the parts of a multipart upload that never completed are deleted."
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "The abort_incomplete_multipart_upload_days must be a whole number of days, at least 1."
  }
}

variable "source_policy_documents" {
  type        = list(string)
  description = "Bucket policy documents (JSON, such as aws_iam_policy_document's json) whose statements the bucket policy holds besides the module's own deny of every request without TLS. Their statement IDs must differ from DenyInsecureTransport."
  default     = []
  nullable    = false
}
