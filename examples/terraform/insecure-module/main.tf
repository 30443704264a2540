# A trail that fails most controls: logging stopped, single region, no log file validation,
# no CMK, read-only selectors without management events, and a public bucket.

variable "log_group_arn" {
  description = "CloudWatch Logs group supplied by the platform team (no default)."
  type        = string
}

resource "aws_s3_bucket" "trail" {
  bucket = "legacy-trail-logs"
  acl    = "public-read"

  versioning {
    enabled = true
  }

  logging {
    target_bucket = "legacy-access-logs"
  }

  policy = <<POLICY
{
  "Version": "2012-10-17",
  "Statement": {
    "Sid": "PublicRead",
    "Effect": "Allow",
    "Principal": "*",
    "Action": "s3:GetObject",
    "Resource": "arn:aws:s3:::legacy-trail-logs/*"
  }
}
POLICY
}

resource "aws_cloudtrail" "legacy" {
  name                       = "legacy"
  s3_bucket_name             = "legacy-trail-logs"
  enable_logging             = false
  enable_log_file_validation = false
  cloud_watch_logs_group_arn = var.log_group_arn

  event_selector {
    read_write_type                  = "ReadOnly"
    include_management_events        = false
    exclude_management_event_sources = ["kms.amazonaws.com", "rdsdata.amazonaws.com"]
  }
}

resource "aws_s3_bucket" "shared" {
  bucket = "shared-trail-logs"
}

resource "aws_s3_bucket_acl" "shared" {
  bucket = aws_s3_bucket.shared.id

  access_control_policy {
    grant {
      grantee {
        type = "Group"
        uri  = "http://acs.amazonaws.com/groups/global/AllUsers"
      }
      permission = "READ"
    }

    grant {
      grantee {
        id   = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
        type = "CanonicalUser"
      }
      permission = "FULL_CONTROL"
    }

    owner {
      id = "79a59df900b949e55d96a1e698fbacedfd6e09d98eacf8f8d5218e7cd47ef2be"
    }
  }
}

resource "aws_s3_bucket_versioning" "shared" {
  bucket = "shared-trail-logs"

  versioning_configuration {
    status = "Suspended"
  }
}

resource "aws_cloudtrail" "regional" {
  name           = "regional"
  s3_bucket_name = aws_s3_bucket.shared.bucket
  kms_key_id     = "arn:aws:kms:us-east-1:111122223333:alias/aws/cloudtrail"
  enable_logging = "true"
}
