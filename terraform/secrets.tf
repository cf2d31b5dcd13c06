resource "aws_secretsmanager_secret" "access_token" {
  #checkov:skip=CKV_AWS_149: The AWS managed key encrypts it; a customer managed key would add a monthly fee and key-policy upkeep while IAM already limits readers to the execution and deploy roles.
  #checkov:skip=CKV2_AWS_57: Rotation is explicit (var.access_token_version) because users type this token and a running task only reads it at start.
  name                    = "${var.name}/access-token"
  description             = "ACCESS_TOKEN of ${var.name}: the bearer token every /api request and WebSocket must present."
  recovery_window_in_days = 7
}

# Ephemeral and written through a write-only argument: the token never enters the plan or the state.
ephemeral "random_password" "access_token" {
  length  = 48
  special = false
}

resource "aws_secretsmanager_secret_version" "access_token" {
  secret_id                = aws_secretsmanager_secret.access_token.id
  secret_string_wo         = ephemeral.random_password.access_token.result
  secret_string_wo_version = var.access_token_version
}
