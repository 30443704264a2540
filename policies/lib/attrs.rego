# Attribute names as the user wrote them, per input format.
#
# Messages name the attribute the user has to edit, not the model field: a CloudFormation author
# looks for `EnableLogFileValidation`, a Terraform author for `enable_log_file_validation`, and a
# live export shows `LogFileValidationEnabled`. Unknown formats fall back to the model field name.
package trailguard.lib.attrs

import rego.v1

# The remediation family of the document: cloudformation, terraform or live.
family := "cloudformation" if input.format == "cloudformation"

family := "terraform" if input.format in {"terraform-plan", "terraform-hcl"}

family := "live" if input.format == "live-export"

trail_names := {
	"name": {"cloudformation": "TrailName", "terraform": "name", "live": "Name"},
	"is_logging": {"cloudformation": "IsLogging", "terraform": "enable_logging", "live": "IsLogging"},
	"is_multi_region": {"cloudformation": "IsMultiRegionTrail", "terraform": "is_multi_region_trail", "live": "IsMultiRegionTrail"},
	"is_organization_trail": {"cloudformation": "IsOrganizationTrail", "terraform": "is_organization_trail", "live": "IsOrganizationTrail"},
	"include_global_service_events": {
		"cloudformation": "IncludeGlobalServiceEvents",
		"terraform": "include_global_service_events",
		"live": "IncludeGlobalServiceEvents",
	},
	"log_file_validation": {
		"cloudformation": "EnableLogFileValidation",
		"terraform": "enable_log_file_validation",
		"live": "LogFileValidationEnabled",
	},
	"kms_key_id": {"cloudformation": "KMSKeyId", "terraform": "kms_key_id", "live": "KmsKeyId"},
	"cloudwatch_logs_group_arn": {
		"cloudformation": "CloudWatchLogsLogGroupArn",
		"terraform": "cloud_watch_logs_group_arn",
		"live": "CloudWatchLogsLogGroupArn",
	},
	"cloudwatch_logs_role_arn": {
		"cloudformation": "CloudWatchLogsRoleArn",
		"terraform": "cloud_watch_logs_role_arn",
		"live": "CloudWatchLogsRoleArn",
	},
	"sns_topic": {"cloudformation": "SnsTopicName", "terraform": "sns_topic_name", "live": "SnsTopicName"},
	"s3_bucket_name": {"cloudformation": "S3BucketName", "terraform": "s3_bucket_name", "live": "S3BucketName"},
	"s3_key_prefix": {"cloudformation": "S3KeyPrefix", "terraform": "s3_key_prefix", "live": "S3KeyPrefix"},
	"event_selectors": {"cloudformation": "EventSelectors", "terraform": "event_selector", "live": "EventSelectors"},
	"advanced_event_selectors": {
		"cloudformation": "AdvancedEventSelectors",
		"terraform": "advanced_event_selector",
		"live": "AdvancedEventSelectors",
	},
	"insight_selectors": {"cloudformation": "InsightSelectors", "terraform": "insight_selector", "live": "InsightSelectors"},
}

# Event data store attributes: note `KmsKeyId` (a Trail says `KMSKeyId`).
eds_names := {
	"name": {"cloudformation": "Name", "terraform": "name", "live": "Name"},
	"retention_period": {"cloudformation": "RetentionPeriod", "terraform": "retention_period", "live": "RetentionPeriod"},
	"termination_protection_enabled": {
		"cloudformation": "TerminationProtectionEnabled",
		"terraform": "termination_protection_enabled",
		"live": "TerminationProtectionEnabled",
	},
	"kms_key_id": {"cloudformation": "KmsKeyId", "terraform": "kms_key_id", "live": "KmsKeyId"},
	"multi_region_enabled": {"cloudformation": "MultiRegionEnabled", "terraform": "multi_region_enabled", "live": "MultiRegionEnabled"},
	"organization_enabled": {"cloudformation": "OrganizationEnabled", "terraform": "organization_enabled", "live": "OrganizationEnabled"},
}

# Bucket settings live in different places per format (Terraform splits them into resources).
bucket_names := {
	"acl": {"cloudformation": "AccessControl", "terraform": "acl", "live": "ACL"},
	"grants": {"cloudformation": "AccessControl", "terraform": "grant", "live": "Grants"},
	"public_access_block": {
		"cloudformation": "PublicAccessBlockConfiguration",
		"terraform": "aws_s3_bucket_public_access_block",
		"live": "PublicAccessBlockConfiguration",
	},
	"policy": {"cloudformation": "AWS::S3::BucketPolicy PolicyDocument", "terraform": "aws_s3_bucket_policy", "live": "Policy"},
	"logging": {"cloudformation": "LoggingConfiguration", "terraform": "aws_s3_bucket_logging", "live": "LoggingEnabled"},
	"versioning": {"cloudformation": "VersioningConfiguration", "terraform": "aws_s3_bucket_versioning", "live": "Versioning"},
	"mfa_delete": {"cloudformation": "MFADelete", "terraform": "mfa_delete", "live": "MFADelete"},
}

# Keys of the public access block, as each format spells them.
public_access_block_keys := {
	"block_public_acls": {"cloudformation": "BlockPublicAcls", "terraform": "block_public_acls", "live": "BlockPublicAcls"},
	"ignore_public_acls": {"cloudformation": "IgnorePublicAcls", "terraform": "ignore_public_acls", "live": "IgnorePublicAcls"},
	"block_public_policy": {"cloudformation": "BlockPublicPolicy", "terraform": "block_public_policy", "live": "BlockPublicPolicy"},
	"restrict_public_buckets": {
		"cloudformation": "RestrictPublicBuckets",
		"terraform": "restrict_public_buckets",
		"live": "RestrictPublicBuckets",
	},
}

# get-trail-status keys (live exports only; the same names are used everywhere else for clarity).
status_names := {
	"latest_delivery_error": "LatestDeliveryError",
	"latest_notification_error": "LatestNotificationError",
	"latest_cloudwatch_logs_delivery_error": "LatestCloudWatchLogsDeliveryError",
	"latest_digest_delivery_error": "LatestDigestDeliveryError",
	"stop_logging_time": "StopLoggingTime",
}

# The family as a lookup key: "" for a format without one (every lookup then falls back to the
# model field name).
family_key := family if is_string(family) else := ""

# The name as the user wrote it: one lookup with the model field name as the default.
trail(field) := object.get(trail_names, [field, family_key], field)

eds(field) := object.get(eds_names, [field, family_key], field)

bucket(field) := object.get(bucket_names, [field, family_key], field)

public_access_block_key(key) := object.get(public_access_block_keys, [key, family_key], key)

status(field) := object.get(status_names, field, field)

# Keys inside a classic event selector.
selector_key_names := {
	"read_write_type": {"cloudformation": "ReadWriteType", "terraform": "read_write_type", "live": "ReadWriteType"},
	"include_management_events": {
		"cloudformation": "IncludeManagementEvents",
		"terraform": "include_management_events",
		"live": "IncludeManagementEvents",
	},
	"exclude_management_event_sources": {
		"cloudformation": "ExcludeManagementEventSources",
		"terraform": "exclude_management_event_sources",
		"live": "ExcludeManagementEventSources",
	},
	"data_resources": {"cloudformation": "DataResources", "terraform": "data_resource", "live": "DataResources"},
}

selector_key(key) := object.get(selector_key_names, [key, family_key], key)
