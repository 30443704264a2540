package trailguard.events.trail_bucket_tampered_test

import rego.v1

import data.trailguard.events.trail_bucket_tampered as rule

params := {"trail_buckets": ["org-cloudtrail-logs"], "successful_only": false}

lifecycle := {
	"eventVersion": "1.09",
	"eventSource": "s3.amazonaws.com",
	"eventName": "PutBucketLifecycle",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {
		"bucketName": "org-cloudtrail-logs",
		"Host": "org-cloudtrail-logs.s3.us-east-1.amazonaws.com",
		"lifecycle": "",
		"LifecycleConfiguration": {"Rule": {"ID": "expire", "Status": "Enabled", "Filter": {"Prefix": ""}, "Expiration": {"Days": 1}}},
	},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

delete_log := object.union(object.remove(lifecycle, ["requestParameters"]), {
	"eventName": "DeleteObject",
	"readOnly": false,
	"requestParameters": {"bucketName": "org-cloudtrail-logs", "key": "AWSLogs/111122223333/CloudTrail/us-east-1/2024/08/01/x.json.gz"},
})

suspend := object.union(object.remove(lifecycle, ["requestParameters"]), {
	"eventName": "PutBucketVersioning",
	"requestParameters": {"bucketName": "org-cloudtrail-logs", "VersioningConfiguration": {"Status": "Suspended"}},
})

test_lifecycle_on_trail_bucket_fires if {
	findings := rule.deny with input as lifecycle with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' called s3:PutBucketLifecycle on CloudTrail log bucket 'org-cloudtrail-logs' from 198.51.100.9",
		"resource": "arn:aws:s3:::org-cloudtrail-logs",
		"evidence": {"eventName": "PutBucketLifecycle", "bucketName": "org-cloudtrail-logs", "key": null, "errorCode": null},
	}}
}

test_log_file_deletion_fires if {
	findings := rule.deny with input as delete_log with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' called s3:DeleteObject on CloudTrail log bucket 'org-cloudtrail-logs' (object 'AWSLogs/111122223333/CloudTrail/us-east-1/2024/08/01/x.json.gz') from 198.51.100.9"
}

test_versioning_suspended_fires_enabled_does_not if {
	count(rule.deny) == 1 with input as suspend with data.trailguard.params as params
	enabled := object.union(suspend, {"requestParameters": {"VersioningConfiguration": {"Status": "Enabled"}}})
	count(rule.deny) == 0 with input as enabled with data.trailguard.params as params
	mfa_off := object.union(enabled, {"requestParameters": {"VersioningConfiguration": {"MfaDelete": "Disabled"}}})
	count(rule.deny) == 1 with input as mfa_off with data.trailguard.params as params
}

test_other_buckets_and_empty_parameter_do_not_fire if {
	other := object.union(lifecycle, {"requestParameters": {"bucketName": "app-assets"}})
	count(rule.deny) == 0 with input as other with data.trailguard.params as params
	count(rule.deny) == 0 with input as lifecycle with data.trailguard.params as {"trail_buckets": [], "successful_only": false}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(lifecycle, {"errorCode": "AccessDenied"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"trail_buckets": ["org-cloudtrail-logs"], "successful_only": true}
}
