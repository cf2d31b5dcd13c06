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

# CloudFront sends one of these values to the ALB in X-Origin-Verify, and the listener forwards only requests that
# carry either. Two slots let the value rotate without downtime: regenerate the slot CloudFront does not send (the
# ALB accepts it at once), then point CloudFront at it; edges still on the old value are accepted until they update.
# Generated like the access token, and read back below because the ALB rule and the distribution must hold them.
locals {
  origin_verify_slots = {
    a = "${var.name}/origin-verify"
    b = "${var.name}/origin-verify-b"
  }
}

resource "aws_secretsmanager_secret" "origin_verify" {
  #checkov:skip=CKV_AWS_149: As the access token: the AWS managed key encrypts it, IAM limits who reads it.
  #checkov:skip=CKV2_AWS_57: CloudFront and the ALB read it at apply time only; a rotation Lambda could not update them (var.origin_verify_versions rotates it).
  for_each = local.origin_verify_slots

  name                    = each.value
  description             = "X-Origin-Verify header value (slot ${each.key}) that CloudFront may send to the ALB of ${var.name}."
  recovery_window_in_days = 7
}

ephemeral "aws_secretsmanager_random_password" "origin_verify" {
  for_each = local.origin_verify_slots

  password_length     = 40
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "origin_verify" {
  for_each = local.origin_verify_slots

  secret_id                = aws_secretsmanager_secret.origin_verify[each.key].id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.origin_verify[each.key].random_password
  secret_string_wo_version = var.origin_verify_versions[each.key]
}

data "aws_secretsmanager_secret_version" "origin_verify" {
  for_each = local.origin_verify_slots

  secret_id  = aws_secretsmanager_secret_version.origin_verify[each.key].secret_id
  version_id = aws_secretsmanager_secret_version.origin_verify[each.key].version_id
}

# The single secret of before the rotation slots is slot a: its state moves, the value CloudFront sends stays.
moved {
  from = aws_secretsmanager_secret.origin_verify
  to   = aws_secretsmanager_secret.origin_verify["a"]
}

moved {
  from = aws_secretsmanager_secret_version.origin_verify
  to   = aws_secretsmanager_secret_version.origin_verify["a"]
}

# Sign-in (var.oidc_issuer set): the provider's client secret and the key that signs session cookies, both written
# write-only like the access token and injected into the task by ECS, never in its environment.
locals {
  sign_in = var.oidc_issuer != ""
}

resource "aws_secretsmanager_secret" "oidc_client_secret" {
  #checkov:skip=CKV_AWS_149: As the access token: the AWS managed key encrypts it, IAM limits readers to the execution role.
  #checkov:skip=CKV2_AWS_57: The provider issues it; var.oidc_client_secret_version writes a new one.
  count = local.sign_in ? 1 : 0

  name                    = "${var.name}/oidc-client-secret"
  description             = "OIDC_CLIENT_SECRET of ${var.name}: the client secret of the app at ${var.oidc_issuer}."
  recovery_window_in_days = 7
}

resource "aws_secretsmanager_secret_version" "oidc_client_secret" {
  count = local.sign_in ? 1 : 0

  secret_id                = aws_secretsmanager_secret.oidc_client_secret[0].id
  secret_string_wo         = var.oidc_client_secret
  secret_string_wo_version = var.oidc_client_secret_version
}

resource "aws_secretsmanager_secret" "session_secret" {
  #checkov:skip=CKV_AWS_149: As the access token: the AWS managed key encrypts it, IAM limits readers to the execution role.
  #checkov:skip=CKV2_AWS_57: A running task reads it only at start, and a new value signs everyone out: var.session_secret_version rotates it on purpose.
  count = local.sign_in ? 1 : 0

  name                    = "${var.name}/session-secret"
  description             = "SESSION_SECRET of ${var.name}: signs the session cookies of people signed in."
  recovery_window_in_days = 7
}

ephemeral "aws_secretsmanager_random_password" "session_secret" {
  count = local.sign_in ? 1 : 0

  password_length     = 64
  exclude_punctuation = true
}

resource "aws_secretsmanager_secret_version" "session_secret" {
  count = local.sign_in ? 1 : 0

  secret_id                = aws_secretsmanager_secret.session_secret[0].id
  secret_string_wo         = ephemeral.aws_secretsmanager_random_password.session_secret[0].random_password
  secret_string_wo_version = var.session_secret_version
}
