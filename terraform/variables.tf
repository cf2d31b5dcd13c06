variable "aws_region" {
  description = "AWS Region for every regional resource. The default is London (eu-west-2)."
  type        = string
  default     = "eu-west-2"

  validation {
    condition     = can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", var.aws_region))
    error_message = "The aws_region must be a Region code such as eu-west-2."
  }
}

variable "name" {
  description = "Name (and prefix) of every resource: ECR repository, ECS cluster and service, ALB, roles, buckets."
  type        = string
  default     = "notebook-ship"

  validation {
    # 24 characters keep "<name>-app" within the 32-character target group name limit.
    condition     = can(regex("^[a-z][a-z0-9-]{0,22}[a-z0-9]$", var.name))
    error_message = "The name must be 2-24 lowercase letters, digits or hyphens, start with a letter and not end with a hyphen."
  }
}

variable "tags" {
  description = "Extra tags for every resource (merged over Project, Repository and ManagedBy)."
  type        = map(string)
  default     = {}
}

variable "vpc_cidr" {
  description = "IPv4 CIDR block of the VPC; each of the two public and two private subnets gets a sixteenth of it."
  type        = string
  default     = "10.0.0.0/16"

  validation {
    condition     = can(cidrhost(var.vpc_cidr, 0)) && try(tonumber(split("/", var.vpc_cidr)[1]) >= 16 && tonumber(split("/", var.vpc_cidr)[1]) <= 24, false)
    error_message = "The vpc_cidr must be an IPv4 CIDR block from /16 to /24, such as 10.0.0.0/16."
  }
}

variable "single_nat_gateway" {
  description = "Use one NAT gateway for both private subnets (about $37/month less) instead of one per Availability Zone. A zone outage then also cuts the other zone's outbound traffic; this single-task app runs in one zone at a time anyway."
  type        = bool
  default     = true
}

variable "container_image" {
  description = "Image of the task definition revisions Terraform registers. Each deploy renders Terraform's newest revision with the image it built, so this runs only if the service is started by hand before any deploy. Null names the image repository's \"bootstrap\" tag, which no build pushes: the service is created with zero tasks and gets its first one from the first deploy."
  type        = string
  default     = null
}

variable "app_version" {
  description = "APP_VERSION of the task definition revisions Terraform registers; each deploy sets the git SHA instead."
  type        = string
  default     = "bootstrap"
}

variable "task_cpu" {
  description = "Fargate task CPU units (1024 = 1 vCPU)."
  type        = number
  default     = 512

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], var.task_cpu)
    error_message = "The task_cpu must be one of the Fargate sizes 256, 512, 1024, 2048, 4096, 8192 or 16384."
  }
}

variable "task_memory" {
  description = "Fargate task memory in MiB; must be a valid combination with task_cpu (e.g. 512 CPU: 1024-4096 MiB)."
  type        = number
  default     = 1024

  validation {
    condition     = var.task_memory >= 512 && var.task_memory <= 122880 && var.task_memory % 512 == 0
    error_message = "The task_memory must be a multiple of 512 MiB between 512 and 122880."
  }
}

variable "cell_time_limit" {
  description = "Seconds a notebook cell may run before it is interrupted (CELL_TIME_LIMIT); 0 means no limit."
  type        = number
  default     = 600

  validation {
    condition     = var.cell_time_limit >= 0
    error_message = "The cell_time_limit must be 0 (no limit) or a positive number of seconds."
  }
}

variable "kernel_memory_mb" {
  description = "Address space in MiB of each process of a notebook kernel (KERNEL_MEMORY_MB): past it, allocations fail with MemoryError. Kernels share the task's memory (task_memory); 0 means no limit."
  type        = number
  default     = 1024

  validation {
    condition     = var.kernel_memory_mb == 0 || var.kernel_memory_mb >= 256
    error_message = "The kernel_memory_mb must be 0 (no limit) or at least 256: a kernel with pandas needs about 250 MiB of address space."
  }
}

variable "kernel_processes" {
  description = "Processes and threads a notebook kernel may have at once, itself included (KERNEL_PROCESSES); 0 means no limit."
  type        = number
  default     = 256

  validation {
    condition     = var.kernel_processes == 0 || var.kernel_processes >= 16
    error_message = "The kernel_processes must be 0 (no limit) or at least 16: the kernel itself runs a few threads."
  }
}

variable "kernel_cpu_seconds" {
  description = "CPU seconds each process of a notebook kernel may use over its life (KERNEL_CPU_SECONDS); past it the kernel is killed and restarted with an empty namespace. 0 means no limit."
  type        = number
  default     = 3600

  validation {
    condition     = var.kernel_cpu_seconds >= 0
    error_message = "The kernel_cpu_seconds must be 0 (no limit) or a positive number of seconds."
  }
}

variable "kernel_open_files" {
  description = "Open file descriptors of each process of a notebook kernel (KERNEL_OPEN_FILES); 0 means no limit."
  type        = number
  default     = 1024

  validation {
    condition     = var.kernel_open_files == 0 || var.kernel_open_files >= 64
    error_message = "The kernel_open_files must be 0 (no limit) or at least 64."
  }
}

variable "kernel_idle_seconds" {
  description = "Seconds a notebook kernel may go unused (no browser connected, nothing run) before it is stopped to free its memory (KERNEL_IDLE_SECONDS); the notebook keeps its cells and starts a fresh kernel when opened again. 0 means never."
  type        = number
  default     = 1800

  validation {
    condition     = var.kernel_idle_seconds == 0 || var.kernel_idle_seconds >= 60
    error_message = "The kernel_idle_seconds must be 0 (never) or at least 60 seconds."
  }
}

variable "kernel_launcher" {
  description = "Where notebook kernels run (KERNEL_LAUNCHER): \"process\", as processes of the app's task (they share its CPU and memory), or \"ecs\", each notebook's kernel as a Fargate task of its own, sized per notebook from kernel_sizes (docs/DEPLOYMENT.md, \"Kernels as ECS tasks\")."
  type        = string
  default     = "process"

  validation {
    condition     = contains(["process", "ecs"], var.kernel_launcher)
    error_message = "The kernel_launcher must be \"process\" or \"ecs\"."
  }
}

variable "kernel_sizes" {
  description = "Size presets notebooks may choose for their kernel (KERNEL_SIZES), the first the default: small (0.5 vCPU, 1 GiB), medium (1 vCPU, 4 GiB), large (2 vCPU, 8 GiB). Only kernel_launcher = \"ecs\" sizes kernels by them."
  type        = list(string)
  default     = ["small", "medium"]

  validation {
    condition     = length(var.kernel_sizes) > 0 && alltrue([for size in var.kernel_sizes : contains(["small", "medium", "large"], size)])
    error_message = "The kernel_sizes must be one or more of \"small\", \"medium\" and \"large\"."
  }

  validation {
    condition     = length(distinct(var.kernel_sizes)) == length(var.kernel_sizes)
    error_message = "Each of the kernel_sizes may be named once."
  }
}

variable "kernel_warm_pool" {
  description = "Kernel tasks kept started ahead of need, each taken by the next notebook that opens (KERNEL_WARM_POOL; kernel_launcher = \"ecs\" only): a notebook then skips the tens of seconds a Fargate task takes to start, and each costs a small task always on. 0 starts none."
  type        = number
  default     = 0

  validation {
    condition     = var.kernel_warm_pool >= 0 && var.kernel_warm_pool <= 20 && floor(var.kernel_warm_pool) == var.kernel_warm_pool
    error_message = "The kernel_warm_pool must be a whole number from 0 to 20."
  }
}

variable "kernel_egress_ports" {
  description = "TCP ports kernel tasks may connect to on any address besides HTTPS (443), which they always may (kernel_launcher = \"ecs\" only): the ports of the databases SQL cells use. The default is PostgreSQL's."
  type        = list(number)
  default     = [5432]

  validation {
    condition     = alltrue([for port in var.kernel_egress_ports : port >= 1 && port <= 65535 && floor(port) == port && port != 443])
    error_message = "Each of kernel_egress_ports must be a TCP port from 1 to 65535 other than 443 (always open)."
  }
}

variable "kernel_policy_arns" {
  description = "ARNs of the IAM policies attached to the kernel role, the AWS identity notebook cells get (KERNEL_ROLE_ARN). The default, none, gives the role no permission: a cell can only ask who it is."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for arn in var.kernel_policy_arns : can(regex("^arn:aws[a-z-]*:iam::(aws|[0-9]{12}):policy/", arn))])
    error_message = "Each of kernel_policy_arns must be an IAM policy ARN (arn:aws:iam::<account or aws>:policy/...)."
  }
}

variable "kernel_data_buckets" {
  description = "Names of S3 buckets notebook cells may read (list and get objects) as the kernel role: data for DuckDB's s3:// paths, pandas and boto3. Read only; none by default."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for bucket in var.kernel_data_buckets : can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", bucket))])
    error_message = "Each of kernel_data_buckets must be an S3 bucket name (3-63 lower-case letters, digits, dots and hyphens), not an ARN or s3:// URL."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the app's logs."
  type        = number
  default     = 30

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "The log_retention_days must be a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ... 3653)."
  }
}

variable "ecr_keep_images" {
  description = "Number of most recent images ECR keeps; older ones expire (untagged ones after 7 days). Rollbacks can reach any kept image."
  type        = number
  default     = 30

  validation {
    condition     = var.ecr_keep_images >= 5 && floor(var.ecr_keep_images) == var.ecr_keep_images
    error_message = "The ecr_keep_images must be a whole number of at least 5, so that rollbacks have images to return to."
  }
}

variable "notebook_version_retention_days" {
  description = "Days the notebook bucket keeps overwritten or deleted notebook versions before they expire."
  type        = number
  default     = 90

  validation {
    condition     = var.notebook_version_retention_days >= 1 && floor(var.notebook_version_retention_days) == var.notebook_version_retention_days
    error_message = "The notebook_version_retention_days must be a whole number of days, at least 1."
  }
}

variable "access_token_version" {
  description = "Version of the generated ACCESS_TOKEN: increase it to rotate the token (a new random value is written to Secrets Manager; redeploy so the task reads it)."
  type        = number
  default     = 1

  validation {
    condition     = var.access_token_version >= 1 && floor(var.access_token_version) == var.access_token_version
    error_message = "The access_token_version must be a whole number, at least 1."
  }
}

variable "certificate_arn" {
  description = "ARN of an ACM certificate in us-east-1 covering domain_aliases, for HTTPS on your own domain. Null uses the default *.cloudfront.net certificate."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:us-east-1:[0-9]{12}:certificate/[0-9a-f-]+$", var.certificate_arn))
    error_message = "The certificate_arn must be an ACM certificate ARN in us-east-1 (CloudFront only uses certificates from that Region)."
  }
}

variable "domain_aliases" {
  description = "Domain names (CNAMEs) CloudFront serves the app on, such as notebooks.example.com; requires certificate_arn. Point them at cloudfront_domain_name in DNS."
  type        = list(string)
  default     = []

  validation {
    condition     = length(var.domain_aliases) == 0 || var.certificate_arn != null
    error_message = "The domain_aliases need a certificate_arn that covers them."
  }

  validation {
    condition     = alltrue([for alias in var.domain_aliases : can(regex("^(\\*\\.)?([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", alias))])
    error_message = "Each of the domain_aliases must be a lowercase domain name such as notebooks.example.com."
  }
}

variable "cloudfront_price_class" {
  description = "CloudFront price class: which edge locations serve the app."
  type        = string
  default     = "PriceClass_100"

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.cloudfront_price_class)
    error_message = "The cloudfront_price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "cloudfront_web_acl_arn" {
  description = "ARN of an AWS WAF (v2, CLOUDFRONT scope) web ACL to attach to the distribution. Null attaches none."
  type        = string
  default     = null

  validation {
    condition     = var.cloudfront_web_acl_arn == null || can(regex("^arn:aws[a-z-]*:wafv2:us-east-1:[0-9]{12}:global/webacl/.+$", var.cloudfront_web_acl_arn))
    error_message = "The cloudfront_web_acl_arn must be a WAFv2 web ACL ARN with global (CLOUDFRONT) scope."
  }
}

variable "github_repository" {
  description = "GitHub repository (owner/name) whose workflows may assume the deploy role."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9-]+/[A-Za-z0-9._-]+$", var.github_repository))
    error_message = "The github_repository must be owner/name, such as octo-org/notebook-ship."
  }
}

variable "github_branches" {
  description = "Branches whose workflow jobs (without a GitHub environment) may assume the deploy role."
  type        = list(string)
  default     = ["main"]

  validation {
    condition     = alltrue([for branch in var.github_branches : can(regex("^[^*?\\s]+$", branch))])
    error_message = "The github_branches must be exact branch names (no wildcards or spaces)."
  }
}

variable "github_environments" {
  description = "GitHub environments whose jobs may assume the deploy role (a job with an environment presents that environment, not its branch)."
  type        = list(string)
  default     = ["production"]

  validation {
    condition     = alltrue([for environment in var.github_environments : can(regex("^[^*?]+$", environment))])
    error_message = "The github_environments must be exact environment names (no wildcards)."
  }

  validation {
    condition     = length(var.github_environments) + length(var.github_branches) > 0
    error_message = "At least one of github_branches and github_environments must be given, or no workflow could deploy."
  }
}

variable "create_github_oidc_provider" {
  description = "Create the token.actions.githubusercontent.com OIDC provider. Set false when the account already has it (an account holds one per URL); the existing one is then looked up."
  type        = bool
  default     = true
}

variable "origin_verify_versions" {
  description = "Version of each X-Origin-Verify slot (a, b): increase the version of the slot CloudFront does not send (not origin_verify_active) to give it a new random value. The ALB accepts both slots' values, so this never interrupts traffic."
  type = object({
    a = number
    b = number
  })
  default = { a = 1, b = 1 }

  validation {
    condition     = alltrue([for version in values(var.origin_verify_versions) : version >= 1 && floor(version) == version])
    error_message = "Each of the origin_verify_versions must be a whole number, at least 1."
  }
}

variable "origin_verify_active" {
  description = "The X-Origin-Verify slot (a or b) whose value CloudFront sends to the ALB. Switch it only to a slot whose value is already applied; see docs/DEPLOYMENT.md for the rotation."
  type        = string
  default     = "a"

  validation {
    condition     = contains(["a", "b"], var.origin_verify_active)
    error_message = "The origin_verify_active must be \"a\" or \"b\"."
  }
}

variable "alarm_email" {
  description = "E-mail address subscribed to the alarm topic (no healthy task, 5xx responses). AWS mails a confirmation link first. Null subscribes nobody: subscribe to the alarm_topic_arn output yourself."
  type        = string
  default     = null

  validation {
    condition     = var.alarm_email == null || can(regex("^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$", var.alarm_email))
    error_message = "The alarm_email must be an e-mail address, or null."
  }
}

variable "alarm_5xx_threshold" {
  description = "Number of 5xx responses in 5 minutes (from the app, or from the ALB itself) that raises an alarm."
  type        = number
  default     = 5

  validation {
    condition     = var.alarm_5xx_threshold >= 1 && floor(var.alarm_5xx_threshold) == var.alarm_5xx_threshold
    error_message = "The alarm_5xx_threshold must be a whole number, at least 1."
  }
}

variable "hcp_terraform_organization" {
  description = "HCP Terraform organization whose workspace runs this configuration. Set it (with hcp_terraform_workspace) to create the workspace's AWS roles for dynamic provider credentials: a read-only one for plans and one for applies. Null creates neither."
  type        = string
  default     = null
}

variable "hcp_terraform_project" {
  description = "HCP Terraform project of the workspace (the project named in its runs' identity tokens)."
  type        = string
  default     = "Default Project"
}

variable "hcp_terraform_workspace" {
  description = "HCP Terraform workspace that runs this configuration (TF_WORKSPACE); required with hcp_terraform_organization."
  type        = string
  default     = null

  validation {
    condition     = (var.hcp_terraform_workspace == null) == (var.hcp_terraform_organization == null)
    error_message = "Set both hcp_terraform_organization and hcp_terraform_workspace, or neither."
  }
}

variable "hcp_terraform_hostname" {
  description = "Hostname of HCP Terraform (its OIDC issuer); change it only for Terraform Enterprise or another HCP Terraform region."
  type        = string
  default     = "app.terraform.io"
}

variable "create_hcp_terraform_oidc_provider" {
  description = "Create the OIDC provider for hcp_terraform_hostname. Set false when the account already has it (one per URL); the existing one is then looked up."
  type        = bool
  default     = true
}

variable "origin_domain_name" {
  description = "Domain name CloudFront reaches the ALB by, over HTTPS only, such as origin.notebooks.example.com: point it at the alb_dns_name output (a CNAME, or a Route 53 alias) and cover it with origin_certificate_arn. Viewers never see it."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.origin_domain_name))
    error_message = "The origin_domain_name must be a lowercase domain name such as origin.notebooks.example.com."
  }
}

variable "origin_certificate_arn" {
  description = "ARN of an ACM certificate in aws_region (the ALB's Region) covering origin_domain_name: the ALB's HTTPS listener presents it to CloudFront."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:${var.aws_region}:[0-9]{12}:certificate/[0-9a-zA-Z-]+$", var.origin_certificate_arn))
    error_message = "The origin_certificate_arn must be an ACM certificate ARN in aws_region, the Region of the ALB."
  }
}

variable "oidc_issuer" {
  description = "Issuer URL of the OpenID Connect provider people sign in with (OIDC_ISSUER), such as https://cognito-idp.eu-west-2.amazonaws.com/eu-west-2_AbCdEf123 or https://accounts.google.com; its discovery document must be at <issuer>/.well-known/openid-configuration. Empty (the default) keeps sign-in off: the API then takes the access token alone, as before. See docs/DEPLOYMENT.md, \"Sign-in\"."
  type        = string
  default     = ""

  validation {
    condition     = var.oidc_issuer == "" || can(regex("^(https://[a-z0-9.-]+|http://(127\\.0\\.0\\.1|localhost))(:[0-9]+)?(/[^\\s?#]*)?$", var.oidc_issuer))
    error_message = "The oidc_issuer must be empty (sign-in off) or an https:// URL without query or fragment, such as https://accounts.google.com (http:// only for a provider on 127.0.0.1 or localhost)."
  }
}

variable "oidc_client_id" {
  description = "Client ID of this app at the OpenID Connect provider (OIDC_CLIENT_ID); required with oidc_issuer."
  type        = string
  default     = ""

  validation {
    condition     = var.oidc_issuer == "" || trimspace(var.oidc_client_id) != ""
    error_message = "The oidc_client_id must be set when oidc_issuer is: the client ID the provider gave this app."
  }
}

variable "oidc_client_secret" {
  description = "Client secret of this app at the OpenID Connect provider; required with oidc_issuer. Ephemeral: written write-only to Secrets Manager (never to the plan or the state) when oidc_client_secret_version changes, and injected into the task as OIDC_CLIENT_SECRET."
  type        = string
  default     = ""
  sensitive   = true
  ephemeral   = true

  validation {
    condition     = var.oidc_issuer == "" || trimspace(var.oidc_client_secret) != ""
    error_message = "The oidc_client_secret must be set when oidc_issuer is: the client secret the provider gave this app."
  }
}

variable "oidc_client_secret_version" {
  description = "Version of the stored oidc_client_secret: Terraform writes the secret only when this changes (it never reads it back), so raise it with each new client secret, then redeploy so the task reads it."
  type        = number
  default     = 1

  validation {
    condition     = var.oidc_client_secret_version >= 1 && floor(var.oidc_client_secret_version) == var.oidc_client_secret_version
    error_message = "The oidc_client_secret_version must be a whole number, at least 1."
  }
}

variable "oidc_scopes" {
  description = "Scopes the app asks the OpenID Connect provider for (OIDC_SCOPES). openid is required; email gives the e-mail address people are known by (admin_users, shares), profile their name."
  type        = list(string)
  default     = ["openid", "profile", "email"]

  validation {
    condition     = contains(var.oidc_scopes, "openid")
    error_message = "The oidc_scopes must include \"openid\": without it the provider answers with no ID token."
  }

  validation {
    condition     = alltrue([for scope in var.oidc_scopes : can(regex("^[\\x21\\x23-\\x5b\\x5d-\\x7e]+$", scope))])
    error_message = "Each of the oidc_scopes must be one scope token: printable characters without spaces, quotes or backslashes."
  }
}

variable "oidc_groups_claim" {
  description = "ID token claim that lists the groups someone belongs to (OIDC_GROUPS_CLAIM), for admin_groups and group shares: \"groups\" for most providers, \"cognito:groups\" for Amazon Cognito."
  type        = string
  default     = "groups"

  validation {
    condition     = can(regex("^[^\\s,]+$", var.oidc_groups_claim))
    error_message = "The oidc_groups_claim must be one claim name, without spaces or commas, such as groups or cognito:groups."
  }
}

variable "admin_users" {
  description = "People who administer the app once sign-in is on (ADMIN_USERS): each is owner of every notebook and may read the audit log. Name them as the app knows them: their e-mail address, or the provider's subject (sub) when it gives none; \"service\" makes the access token an admin too."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for user in var.admin_users : can(regex("^[^\\s,]+$", user))])
    error_message = "Each of the admin_users must be one e-mail address or subject, without spaces or commas."
  }
}

variable "admin_groups" {
  description = "Groups of the OpenID Connect provider (as oidc_groups_claim lists them) whose members administer the app once sign-in is on (ADMIN_GROUPS)."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for group in var.admin_groups : trimspace(group) == group && group != "" && !strcontains(group, ",")])
    error_message = "Each of the admin_groups must be a group name without commas or surrounding spaces."
  }
}

variable "session_secret_version" {
  description = "Version of the generated SESSION_SECRET that signs the session cookies (sign-in only): increase it to rotate the secret, which signs everyone out once the task restarts with it."
  type        = number
  default     = 1

  validation {
    condition     = var.session_secret_version >= 1 && floor(var.session_secret_version) == var.session_secret_version
    error_message = "The session_secret_version must be a whole number, at least 1."
  }
}

variable "audit_log_retention_days" {
  description = "Days CloudWatch keeps the audit log (who signed in, changed, ran or shared what); 0 keeps it forever."
  type        = number
  default     = 365

  validation {
    condition     = contains([0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.audit_log_retention_days)
    error_message = "The audit_log_retention_days must be 0 (forever) or a retention period CloudWatch Logs accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, ... 3653)."
  }
}
