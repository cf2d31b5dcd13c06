# The audit log (docs/DEPLOYMENT.md, "Sign-in"): who signed in, changed, ran or shared what. The app writes it to a log group of
# its own, kept longer than the app's logs, and reads it back for GET /api/audit. The task role may append to this
# group and read it, nothing else: it can neither delete the group, its streams or its events, nor shorten its
# retention, so a compromised task cannot erase what it did.
resource "aws_cloudwatch_log_group" "audit" {
  #checkov:skip=CKV_AWS_158: As the app's log group: CloudWatch Logs encrypts at rest by default; a customer managed key would cost a monthly fee and a key policy without narrowing who can read it (IAM does that).
  name              = "/ecs/${var.name}/audit"
  retention_in_days = var.audit_log_retention_days
}

data "aws_iam_policy_document" "task_audit_log" {
  # The group's ARN and its ":*" form: IAM authorizes DescribeLogStreams and FilterLogEvents on the group, and
  # CreateLogStream, PutLogEvents and GetLogEvents on its streams (log-group:<name>:log-stream:<stream>).
  statement {
    sid = "AppendAndReadAuditLog"
    actions = [
      "logs:CreateLogStream",
      "logs:DescribeLogStreams",
      "logs:FilterLogEvents",
      "logs:GetLogEvents",
      "logs:PutLogEvents",
    ]
    resources = [aws_cloudwatch_log_group.audit.arn, "${aws_cloudwatch_log_group.audit.arn}:*"]
  }

  # Nothing the task role is ever granted elsewhere may erase the audit trail or cut its retention.
  statement {
    sid    = "NeverEraseAuditLog"
    effect = "Deny"
    actions = [
      "logs:DeleteLogGroup",
      "logs:DeleteLogStream",
      "logs:PutRetentionPolicy",
    ]
    resources = [aws_cloudwatch_log_group.audit.arn, "${aws_cloudwatch_log_group.audit.arn}:*"]
  }
}

resource "aws_iam_role_policy" "task_audit_log" {
  name   = "audit-log"
  role   = aws_iam_role.task.id
  policy = data.aws_iam_policy_document.task_audit_log.json
}
