# CloudFront's origin-facing addresses: the only clients the ALB accepts.
data "aws_ec2_managed_prefix_list" "cloudfront" {
  name = "com.amazonaws.global.cloudfront.origin-facing"
}

resource "aws_security_group" "alb" {
  name        = "${var.name}-alb"
  description = "ALB of ${var.name}: HTTP from CloudFront origin-facing addresses only"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "${var.name}-alb"
  }
}

# The prefix list counts as its maximum size (about 55 entries) against the rules-per-group quota, so keep it to one rule.
resource "aws_vpc_security_group_ingress_rule" "alb_from_cloudfront" {
  #checkov:skip=CKV_AWS_260: The source is CloudFront's origin-facing prefix list, not 0.0.0.0/0 (the check does not read prefix_list_id).
  security_group_id = aws_security_group.alb.id
  description       = "HTTPS from CloudFront origin-facing servers"
  prefix_list_id    = data.aws_ec2_managed_prefix_list.cloudfront.id
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
}

resource "aws_vpc_security_group_egress_rule" "alb_to_app" {
  security_group_id            = aws_security_group.alb.id
  description                  = "Requests and health checks to the app tasks"
  referenced_security_group_id = aws_security_group.app.id
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
}

resource "aws_security_group" "app" {
  name        = "${var.name}-app"
  description = "ECS tasks of ${var.name}: app port from the ALB only"
  vpc_id      = aws_vpc.main.id

  tags = {
    Name = "${var.name}-app"
  }
}

resource "aws_vpc_security_group_ingress_rule" "app_from_alb" {
  security_group_id            = aws_security_group.app.id
  description                  = "App port from the ALB"
  referenced_security_group_id = aws_security_group.alb.id
  ip_protocol                  = "tcp"
  from_port                    = local.container_port
  to_port                      = local.container_port
}

resource "aws_vpc_security_group_egress_rule" "app_outbound" {
  #checkov:skip=CKV_AWS_382: Notebook SQL cells connect to databases the user names (any host, any port), besides ECR, S3 and Secrets Manager over HTTPS; the tasks sit in private subnets behind NAT with no inbound path but the ALB.
  security_group_id = aws_security_group.app.id
  description       = "Outbound through NAT: AWS APIs, and the databases notebooks connect to"
  cidr_ipv4         = "0.0.0.0/0"
  ip_protocol       = "-1"
}
