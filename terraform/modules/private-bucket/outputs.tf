output "bucket" {
  description = "Name of the bucket (known at plan)."
  value       = aws_s3_bucket.this.bucket
}

output "arn" {
  description = "ARN of the bucket, for policies that grant access to it (append /* for its objects)."
  value       = aws_s3_bucket.this.arn
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket, for a CloudFront S3 origin."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}
