locals {
  spa_origin_id = "spa-bucket"
  api_origin_id = "api-alb"
  app_domain    = length(var.domain_aliases) > 0 ? var.domain_aliases[0] : aws_cloudfront_distribution.app.domain_name
}

# The built front end, served only through CloudFront (Origin Access Control); publish-spa writes it.
module "spa_bucket" {
  source = "./modules/private-bucket"

  bucket = "${var.name}-spa-${local.account_id}-${local.region}"
  # SSE-S3: CloudFront (Origin Access Control) cannot decrypt objects under the AWS managed aws/s3 KMS key.
  sse_algorithm = "AES256"
  # publish-spa keeps the releases it may roll back to; older object versions are only a safety net.
  noncurrent_version_retention_days      = 30
  abort_incomplete_multipart_upload_days = 1
  source_policy_documents                = [data.aws_iam_policy_document.spa_bucket.json]
}

# What the bucket policy holds besides the module's deny of every request without TLS.
data "aws_iam_policy_document" "spa_bucket" {
  statement {
    sid       = "CloudFrontReadsObjects"
    actions   = ["s3:GetObject"]
    resources = ["${module.spa_bucket.arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.app.arn]
    }
  }

  # With ListBucket a missing object is a 404, not a 403, so a missing asset is reported as what it is.
  statement {
    sid       = "CloudFrontListsBucket"
    actions   = ["s3:ListBucket"]
    resources = [module.spa_bucket.arn]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.app.arn]
    }
  }
}

# The bucket and its settings were resources of this file before the module: their state moves, nothing is replaced.
moved {
  from = aws_s3_bucket.spa
  to   = module.spa_bucket.aws_s3_bucket.this
}

moved {
  from = aws_s3_bucket_versioning.spa
  to   = module.spa_bucket.aws_s3_bucket_versioning.this
}

moved {
  from = aws_s3_bucket_server_side_encryption_configuration.spa
  to   = module.spa_bucket.aws_s3_bucket_server_side_encryption_configuration.this
}

moved {
  from = aws_s3_bucket_public_access_block.spa
  to   = module.spa_bucket.aws_s3_bucket_public_access_block.this
}

moved {
  from = aws_s3_bucket_ownership_controls.spa
  to   = module.spa_bucket.aws_s3_bucket_ownership_controls.this
}

moved {
  from = aws_s3_bucket_lifecycle_configuration.spa
  to   = module.spa_bucket.aws_s3_bucket_lifecycle_configuration.this
}

moved {
  from = aws_s3_bucket_policy.spa
  to   = module.spa_bucket.aws_s3_bucket_policy.this
}

resource "aws_cloudfront_origin_access_control" "spa" {
  name                              = "${var.name}-spa"
  description                       = "CloudFront signs its requests to the ${var.name} SPA bucket"
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

resource "aws_cloudfront_function" "spa_fallback" {
  name    = "${var.name}-spa-fallback"
  comment = "Serve index.html for client-side routes (S3 behaviour only)"
  runtime = "cloudfront-js-2.0"
  publish = true
  code    = file("${path.module}/functions/spa_fallback.js")
}

data "aws_cloudfront_cache_policy" "caching_optimized" {
  name = "Managed-CachingOptimized"
}

data "aws_cloudfront_cache_policy" "caching_disabled" {
  name = "Managed-CachingDisabled"
}

data "aws_cloudfront_origin_request_policy" "all_viewer_except_host" {
  name = "Managed-AllViewerExceptHostHeader"
}

data "aws_cloudfront_response_headers_policy" "security_headers" {
  name = "Managed-SecurityHeadersPolicy"
}

# One origin for the browser: the SPA from S3 and /api/* (HTTP and WebSocket) and /health from the ALB,
# so the built front end calls its own origin over https/wss and no mixed content is possible.
resource "aws_cloudfront_distribution" "app" {
  #checkov:skip=CKV_AWS_68: WAF costs at least $5/month plus requests; the API requires the access token. Attach a web ACL with var.cloudfront_web_acl_arn.
  #checkov:skip=CKV2_AWS_47: As CKV_AWS_68: a web ACL (with AWSManagedRulesKnownBadInputsRuleSet) attaches through var.cloudfront_web_acl_arn.
  #checkov:skip=CKV_AWS_86: Standard logs need an ACL-enabled log bucket; CloudFront metrics and the app's own request logs cover this app.
  #checkov:skip=CKV_AWS_310: Origin failover needs a second origin serving the same content; there is one SPA bucket and one app task.
  #checkov:skip=CKV_AWS_174: With the default *.cloudfront.net certificate CloudFront fixes the protocol floor itself; with certificate_arn the distribution sets TLSv1.2_2021.
  #checkov:skip=CKV_AWS_374: The notebook serves its users wherever they are; the access token, not geography, decides who gets in.
  #checkov:skip=CKV2_AWS_42: A custom certificate needs a domain the user owns: set certificate_arn and domain_aliases.
  comment             = "${var.name}: SPA from S3, /api/* and /health from the ALB"
  enabled             = true
  is_ipv6_enabled     = true
  http_version        = "http2and3"
  price_class         = var.cloudfront_price_class
  default_root_object = "index.html"
  aliases             = var.domain_aliases
  web_acl_id          = var.cloudfront_web_acl_arn

  origin {
    origin_id                = local.spa_origin_id
    domain_name              = module.spa_bucket.bucket_regional_domain_name
    origin_access_control_id = aws_cloudfront_origin_access_control.spa.id
  }

  # The ALB by the name its certificate covers (a DNS record points origin_domain_name at alb_dns_name): CloudFront
  # checks the certificate against it, and never speaks plain HTTP to the origin.
  origin {
    origin_id   = local.api_origin_id
    domain_name = var.origin_domain_name

    custom_origin_config {
      http_port                = 80
      https_port               = 443
      origin_protocol_policy   = "https-only"
      origin_ssl_protocols     = ["TLSv1.2"]
      origin_read_timeout      = 60
      origin_keepalive_timeout = 60
    }

    custom_header {
      name  = "X-Origin-Verify"
      value = data.aws_secretsmanager_secret_version.origin_verify[var.origin_verify_active].secret_string
    }
  }

  default_cache_behavior {
    target_origin_id           = local.spa_origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = ["GET", "HEAD", "OPTIONS"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_optimized.id
    response_headers_policy_id = data.aws_cloudfront_response_headers_policy.security_headers.id

    function_association {
      event_type   = "viewer-request"
      function_arn = aws_cloudfront_function.spa_fallback.arn
    }
  }

  ordered_cache_behavior {
    path_pattern               = "/api/*"
    target_origin_id           = local.api_origin_id
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["DELETE", "GET", "HEAD", "OPTIONS", "PATCH", "POST", "PUT"]
    cached_methods             = ["GET", "HEAD"]
    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_disabled.id
    origin_request_policy_id   = data.aws_cloudfront_origin_request_policy.all_viewer_except_host.id
    response_headers_policy_id = data.aws_cloudfront_response_headers_policy.security_headers.id
  }

  ordered_cache_behavior {
    path_pattern               = local.health_path
    target_origin_id           = local.api_origin_id
    viewer_protocol_policy     = "https-only"
    allowed_methods            = ["GET", "HEAD"]
    cached_methods             = ["GET", "HEAD"]
    cache_policy_id            = data.aws_cloudfront_cache_policy.caching_disabled.id
    origin_request_policy_id   = data.aws_cloudfront_origin_request_policy.all_viewer_except_host.id
    response_headers_policy_id = data.aws_cloudfront_response_headers_policy.security_headers.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    cloudfront_default_certificate = var.certificate_arn == null
    acm_certificate_arn            = var.certificate_arn
    ssl_support_method             = var.certificate_arn == null ? null : "sni-only"
    minimum_protocol_version       = var.certificate_arn == null ? "TLSv1" : "TLSv1.2_2021"
  }
}
