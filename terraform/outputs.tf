output "app_url" {
  description = "Public HTTPS URL of the app: the SPA, and /api/* and /health on the same origin."
  value       = "https://${local.app_domain}"
}

output "cloudfront_distribution_id" {
  description = "ID of the CloudFront distribution, for invalidations after publishing the SPA."
  value       = aws_cloudfront_distribution.app.id
}

output "cloudfront_domain_name" {
  description = "CloudFront domain name (*.cloudfront.net): the DNS target (CNAME or alias) for domain_aliases."
  value       = aws_cloudfront_distribution.app.domain_name
}

output "spa_bucket_name" {
  description = "S3 bucket that holds the built front end (publish-spa's bucket input)."
  value       = module.spa_bucket.bucket
}

output "ecr_repository_url" {
  description = "URL of the ECR repository the pipeline pushes the backend image to."
  value       = aws_ecr_repository.app.repository_url
}

output "ecr_cache_ref" {
  description = "Where build-push-image keeps the registry build cache (its cache-ref input): the mutable cache repository's tag."
  value       = "${aws_ecr_repository.cache.name}:buildcache"
}

output "ecs_cluster_name" {
  description = "Name of the ECS cluster (deploy-ecs's cluster input)."
  value       = aws_ecs_cluster.main.name
}

output "ecs_service_name" {
  description = "Name of the ECS service (deploy-ecs's service input)."
  value       = aws_ecs_service.app.name
}

output "ecs_task_definition_arn" {
  description = "ARN of the newest task definition revision Terraform registered, which deploy-ecs renders each deploy from (its base-task-definition input), so CPU, memory, environment, secrets and roles changed in terraform/ reach the service with the next deploy."
  value       = aws_ecs_task_definition.app.arn
}

output "ecs_kernel_task_definition_arn" {
  description = "ARN of the newest revision Terraform registered of the kernel task family (<name>-kernel), whose tasks run notebook kernels; null unless kernel_launcher is \"ecs\"."
  value       = one(aws_ecs_task_definition.kernel[*].arn)
}

output "ecs_container_name" {
  description = "Name of the app container in the task definition."
  value       = local.container_name
}

output "alb_dns_name" {
  description = "DNS name of the ALB: the target of the origin_domain_name DNS record. It answers only CloudFront (security group, HTTPS and secret header): use app_url."
  value       = aws_lb.app.dns_name
}

output "deploy_role_arn" {
  description = "ARN of the IAM role GitHub Actions assumes through OIDC (role-to-assume)."
  value       = aws_iam_role.deploy.arn
}

output "notebook_bucket_name" {
  description = "Versioned, encrypted S3 bucket where the app stores notebooks (NOTEBOOK_BUCKET)."
  value       = module.notebook_bucket.bucket
}

output "access_token_secret_arn" {
  description = "ARN of the Secrets Manager secret holding the app's ACCESS_TOKEN (read it with aws secretsmanager get-secret-value)."
  value       = aws_secretsmanager_secret.access_token.arn
}

output "oidc_callback_url" {
  description = "Sign-in callback (redirect URI) to register at the OpenID Connect provider, PUBLIC_URL + /api/auth/callback; sign-out returns to app_url + \"/\" (docs/DEPLOYMENT.md, \"Sign-in\")."
  value       = "${local.public_url}/api/auth/callback"
}

output "audit_log_group" {
  description = "CloudWatch log group of the audit log (AUDIT_LOG_GROUP): sign-ins and every change, run and share, kept audit_log_retention_days."
  value       = aws_cloudwatch_log_group.audit.name
}

output "log_group_name" {
  description = "CloudWatch log group of the app's containers."
  value       = aws_cloudwatch_log_group.app.name
}

output "aws_region" {
  description = "AWS Region everything was created in (for aws-actions/configure-aws-credentials)."
  value       = local.region
}

output "alarm_topic_arn" {
  description = "ARN of the SNS topic the alarms (no healthy task, 5xx responses) publish to; subscribe to it for notifications."
  value       = aws_sns_topic.alarms.arn
}

output "hcp_terraform_plan_role_arn" {
  description = "Read-only role for the plan phase of the workspace's runs (the workspace variable TFC_AWS_PLAN_ROLE_ARN); null without hcp_terraform_organization."
  value       = one(aws_iam_role.hcp_terraform_plan[*].arn)
}

output "hcp_terraform_apply_role_arn" {
  description = "Role for the apply phase of the workspace's runs (the workspace variable TFC_AWS_APPLY_ROLE_ARN); null without hcp_terraform_organization."
  value       = one(aws_iam_role.hcp_terraform_apply[*].arn)
}
