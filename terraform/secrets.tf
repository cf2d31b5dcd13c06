resource "aws_secretsmanager_secret" "access_token" {
  #checkov:skip=CKV_AWS_149: The AWS managed key encrypts it; a customer managed key would add a monthly fee and key-policy upkeep while IAM already limits readers to the execution and deploy roles.
  #checkov:skip=CKV2_AWS_57: Rotation is explicit (var.access_token_version) because users type this token and a running task only reads it at start.
  name                    = "${var.name}/access-token"
  description             = "ACCESS_TOKEN of ${var.name}: the bearer token every /api request and WebSocket must present."
  recovery_window_in_days = 7
}

# Ephemeral and written through a write-only argument: the token never enters the plan or the state.
ephemeral "aws_secretsmanager_random_password" "access_token" {
  password_length     = 48
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "access_token" {
  secret_id                = aws_secretsmanager_secret.access_token.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.access_token.random_password
  secret_string_wo_version = var.access_token_version
}

# CloudFront sends this value to the ALB in X-Origin-Verify, and the listener forwards only requests that carry it.
# Generated like the access token; it is read back below because the ALB rule and the distribution must hold it.
resource "aws_secretsmanager_secret" "origin_verify" {
  #checkov:skip=CKV_AWS_149: As the access token: the AWS managed key encrypts it, IAM limits who reads it.
  #checkov:skip=CKV2_AWS_57: CloudFront and the ALB read it at apply time only; a rotation Lambda could not update them.
  name                    = "${var.name}/origin-verify"
  description             = "X-Origin-Verify header value that CloudFront sends to the ALB of ${var.name}."
  recovery_window_in_days = 7
}

ephemeral "aws_secretsmanager_random_password" "origin_verify" {
  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "origin_verify" {
  secret_id                = aws_secretsmanager_secret.origin_verify.id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.origin_verify.random_password
  secret_string_wo_version = 1
}

data "aws_secretsmanager_secret_version" "origin_verify" {
  secret_id  = aws_secretsmanager_secret_version.origin_verify.secret_id
  version_id = aws_secretsmanager_secret_version.origin_verify.version_id
}
