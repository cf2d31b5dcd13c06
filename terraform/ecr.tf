locals {
  # Both repositories' first lifecycle rule: what no tag names any more goes a week after its push.
  expire_untagged = {
    rulePriority = 1
    selection = {
      tagStatus   = "untagged"
      countType   = "sinceImagePushed"
      countUnit   = "days"
      countNumber = 7
    }
    action = { type = "expire" }
  }
}

# Release images: a tag, once pushed, always names the same image.
resource "aws_ecr_repository" "app" {
  name                 = var.name
  image_tag_mutability = "IMMUTABLE"

  image_scanning_configuration {
    scan_on_push = true
  }

  # The AWS managed aws/ecr key: encrypted with KMS, no key to pay for or grant.
  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_lifecycle_policy" "app" {
  repository = aws_ecr_repository.app.name

  policy = jsonencode({
    rules = [
      merge(local.expire_untagged, { description = "Untagged images (re-tagged pushes) after 7 days" }),
      {
        rulePriority = 2
        description  = "Keep the ${var.ecr_keep_images} most recent images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.ecr_keep_images
        }
        action = { type = "expire" }
      },
    ]
  })
}

# The build cache, which every build rewrites under the same tag, lives beside the images so that they stay immutable.
resource "aws_ecr_repository" "cache" {
  #checkov:skip=CKV_AWS_51: The cache tag is rewritten by every build by design; release images live in the immutable repository.
  #checkov:skip=CKV_AWS_163: Cache layers are not deployed; the images built from them are scanned on push in the image repository.
  name                 = "${var.name}-cache"
  image_tag_mutability = "MUTABLE"

  encryption_configuration {
    encryption_type = "KMS"
  }
}

resource "aws_ecr_lifecycle_policy" "cache" {
  repository = aws_ecr_repository.cache.name

  policy = jsonencode({
    rules = [
      merge(local.expire_untagged, { description = "Superseded cache manifests after 7 days" }),
    ]
  })
}
