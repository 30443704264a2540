# Builders for model-shaped test inputs (see docs/model.md), used by the `*_test.rego` files.
#
# `trail(overrides)` is a fully compliant CloudFormation-style trail; a test replaces the fields
# it is about. Every field sits on its own line so tests can assert exact locations.
package trailguard.lib.testing

import rego.v1

path := "template.yaml"

loc(line) := {"path": path, "line": line, "column": 7, "end_line": line, "end_column": 40}

# The resource header (logical id line): where absent and defaulted fields point.
header := loc(3)

known(v, line) := {"state": "known", "value": v, "loc": loc(line)}

defaulted(v) := {"state": "absent", "value": v, "defaulted": true, "loc": header}

absent := {"state": "absent", "loc": header}

unknown(expr, line) := {"state": "unknown", "expr": expr, "loc": loc(line)}

# Override top-level keys without merging into the replaced fields (object.union is deep).
override(base, overrides) := object.union(object.remove(base, object.keys(overrides)), overrides)

key_arn := "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"

all_management := {
	"read_write_type": "All",
	"include_management_events": true,
	"data_resources": [],
	"exclude_management_event_sources": [],
}

# Classic selector: all management events plus S3 object and Lambda data events everywhere.
compliant_selector := {
	"read_write_type": "All",
	"include_management_events": true,
	"data_resources": [
		{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]},
		{"type": "AWS::Lambda::Function", "values": ["arn:aws:lambda"]},
	],
	"exclude_management_event_sources": [],
}

base_trail := {
	"id": "Trail",
	"resource_type": "AWS::CloudTrail::Trail",
	"loc": header,
	"is_shadow": false,
	"name": known("main", 5),
	"arn": absent,
	"home_region": absent,
	"is_logging": known(true, 6),
	"is_multi_region": known(true, 7),
	"is_organization_trail": defaulted(false),
	"include_global_service_events": known(true, 8),
	"log_file_validation": known(true, 9),
	"kms_key_id": known(key_arn, 10),
	"kms_key": {"managed_by": "customer", "rotation_enabled": defaulted(false)},
	"cloudwatch_logs_group_arn": known("arn:aws:logs:us-east-1:111122223333:log-group:trail:*", 11),
	"cloudwatch_logs_role_arn": known("arn:aws:iam::111122223333:role/trail-to-logs", 12),
	"sns_topic": known("trail-notifications", 13),
	"s3_bucket_name": known("audit-logs", 14),
	"s3_key_prefix": absent,
	"event_selectors": known([compliant_selector], 15),
	"advanced_event_selectors": absent,
	"insight_selectors": known(["ApiCallRateInsight", "ApiErrorRateInsight"], 20),
}

trail(overrides) := override(base_trail, overrides)

# A second compliant trail with its own identity.
other_trail(overrides) := trail(override({"id": "Other", "name": known("other", 5)}, overrides))

# Advanced selectors: field selector builder with all six operator lists present.
fs(field, ops) := override(
	{"field": field, "equals": [], "not_equals": [], "starts_with": [], "not_starts_with": [], "ends_with": [], "not_ends_with": []},
	ops,
)

advanced(selectors) := {
	"event_selectors": absent,
	"advanced_event_selectors": known(selectors, 15),
}

base_bucket := {
	"id": "LogBucket",
	"resource_type": "AWS::S3::Bucket",
	"loc": loc(30),
	"name": known("audit-logs", 31),
	"acl": known("private", 32),
	"grants": absent,
	"public_access_block": known(
		{
			"block_public_acls": true,
			"ignore_public_acls": true,
			"block_public_policy": true,
			"restrict_public_buckets": true,
		},
		33,
	),
	"policy": known(
		{"Version": "2012-10-17", "Statement": [{
			"Sid": "AWSCloudTrailWrite",
			"Effect": "Allow",
			"Principal": {"Service": "cloudtrail.amazonaws.com"},
			"Action": "s3:PutObject",
			"Resource": "arn:aws:s3:::audit-logs/AWSLogs/111122223333/*",
			"Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
		}]},
		34,
	),
	"logging": known({"target_bucket": "access-logs", "target_prefix": "audit-logs/"}, 35),
	"versioning": known({"status": "Enabled", "mfa_delete": "Enabled"}, 36),
}

bucket(overrides) := override(base_bucket, overrides)

base_eds := {
	"id": "Store",
	"resource_type": "AWS::CloudTrail::EventDataStore",
	"loc": loc(40),
	"name": known("audit-store", 41),
	"arn": absent,
	"retention_period": known(2557, 42),
	"termination_protection_enabled": defaulted(true),
	"kms_key_id": known(key_arn, 43),
	"kms_key": {"managed_by": "customer", "rotation_enabled": defaulted(false)},
	"multi_region_enabled": defaulted(true),
	"organization_enabled": defaulted(false),
	"advanced_event_selectors": absent,
	"status": absent,
}

eds(overrides) := override(base_eds, overrides)

doc(trails) := doc_in("cloudformation", trails)

doc_in(format, trails) := {
	"format": format,
	"path": path,
	"trails": trails,
	"event_data_stores": [],
	"buckets": [],
}

# A document whose only trail delivers to `b` (resolved bucket, also listed in `buckets`).
doc_with_bucket(format, t, b) := object.union(doc_in(format, [object.union(t, {"bucket": b})]), {"buckets": [b]})

doc_with_stores(format, stores) := object.union(doc_in(format, []), {"event_data_stores": stores})
