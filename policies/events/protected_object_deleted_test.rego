package trailguard.events.protected_object_deleted_test

import rego.v1

import data.trailguard.events.protected_object_deleted as rule

params := {"protected_buckets": ["finance-records", "arn:aws:s3:::shared-data/payroll/"], "successful_only": false}

delete := {
	"eventVersion": "1.09",
	"eventSource": "s3.amazonaws.com",
	"eventName": "DeleteObject",
	"eventType": "AwsApiCall",
	"eventCategory": "Data",
	"managementEvent": false,
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"bucketName": "finance-records", "Host": "finance-records.s3.eu-west-1.amazonaws.com", "key": "2024/q2/ledger.csv"},
	"responseElements": null,
	"resources": [{"type": "AWS::S3::Object", "ARN": "arn:aws:s3:::finance-records/2024/q2/ledger.csv"}],
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

in_shared(key) := object.union(delete, {"requestParameters": {"bucketName": "shared-data", "key": key}})

test_delete_in_protected_bucket_fires if {
	findings := rule.deny with input as delete with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' deleted object '2024/q2/ledger.csv' from protected bucket 'finance-records' from 198.51.100.9",
		"resource": "arn:aws:s3:::finance-records/2024/q2/ledger.csv",
		"evidence": {"eventName": "DeleteObject", "bucketName": "finance-records", "key": "2024/q2/ledger.csv", "versionId": null, "protectedBy": ["finance-records"]},
	}}
}

test_version_delete_is_called_permanent if {
	rec := object.union(delete, {"requestParameters": {"versionId": "3HL4kqtJlcpXroDTDmJ+rmSpXd3dIbrHY+MTRCxf3vjVBH40Nr8X8gdRQBpUMLUo"}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' permanently deleted a version of object '2024/q2/ledger.csv' from protected bucket 'finance-records' from 198.51.100.9"
}

test_prefix_protection if {
	findings := rule.deny with input as in_shared("payroll/2024-07.pdf") with data.trailguard.params as params
	some f in findings
	f.evidence.protectedBy == ["arn:aws:s3:::shared-data/payroll/"]
	count(rule.deny) == 0 with input as in_shared("marketing/banner.png") with data.trailguard.params as params
}

test_batch_delete_is_reported_at_bucket_level if {
	rec := object.union(object.remove(delete, ["requestParameters"]), {"eventName": "DeleteObjects", "requestParameters": {"bucketName": "shared-data", "delete": ""}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' deleted a batch of objects (keys not recorded) from protected bucket 'shared-data' from 198.51.100.9"
	f.resource == "arn:aws:s3:::shared-data"
}

test_unprotected_bucket_and_empty_parameter_do_not_fire if {
	other := object.union(delete, {"requestParameters": {"bucketName": "scratch"}})
	count(rule.deny) == 0 with input as other with data.trailguard.params as params
	count(rule.deny) == 0 with input as delete with data.trailguard.params as {"protected_buckets": [], "successful_only": false}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(delete, {"errorCode": "AccessDenied"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"protected_buckets": ["finance-records"], "successful_only": true}
}
