resource "aws_lb" "app" {
  #checkov:skip=CKV_AWS_91: CloudFront is the edge users reach and the app logs every request to CloudWatch; ALB access logs would need a second log bucket for no new information.
  #checkov:skip=CKV_AWS_150: The ALB holds no state: recreating it loses nothing, and deletion protection would block terraform destroy.
  #checkov:skip=CKV2_AWS_28: WAF belongs on the edge: attach a web ACL to CloudFront with var.cloudfront_web_acl_arn; the ALB only accepts CloudFront.
  name               = var.name
  internal           = false
  load_balancer_type = "application"
  security_groups    = [aws_security_group.alb.id]
  subnets            = aws_subnet.public[*].id

  # WebSockets stay open between messages while a long cell runs.
  idle_timeout               = 300
  drop_invalid_header_fields = true
}

resource "aws_lb_target_group" "app" {
  #checkov:skip=CKV_AWS_378: TLS ends at CloudFront; from the ALB to the task the traffic stays inside the VPC.
  name                 = "${var.name}-app"
  port                 = local.container_port
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = aws_vpc.main.id
  deregistration_delay = 30

  health_check {
    path                = local.health_path
    matcher             = "200"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }

  stickiness {
    type            = "lb_cookie"
    cookie_duration = 86400
    enabled         = true
  }
}

# HTTPS only: CloudFront reaches the ALB across the internet carrying the access token, notebooks and the
# X-Origin-Verify secret, so the hop is encrypted with a certificate for origin_domain_name, the name CloudFront
# connects to and checks the certificate against. There is no plain HTTP listener to fall back to.
resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.app.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.origin_certificate_arn

  default_action {
    type = "fixed-response"

    fixed_response {
      content_type = "text/plain"
      message_body = "Forbidden"
      status_code  = "403"
    }
  }
}

# The HTTP listener of before becomes the HTTPS one: changed in place, not replaced, so its rule stays attached.
moved {
  from = aws_lb_listener.http
  to   = aws_lb_listener.https
}

resource "aws_lb_listener_rule" "from_cloudfront" {
  listener_arn = aws_lb_listener.https.arn
  priority     = 1

  # Only requests that carry CloudFront's secret header reach the app: the prefix list admits every
  # CloudFront distribution, including other accounts', and this header is known to ours alone. Either slot's value
  # is accepted (the values of one condition are alternatives), so CloudFront can move from one to the other while
  # its edges update one by one.
  condition {
    http_header {
      http_header_name = "X-Origin-Verify"
      values           = [for slot in keys(local.origin_verify_slots) : data.aws_secretsmanager_secret_version.origin_verify[slot].secret_string]
    }
  }

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.app.arn
  }
}
