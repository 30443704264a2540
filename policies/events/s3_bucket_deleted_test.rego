package trailguard.events.s3_bucket_deleted_test

import rego.v1

import data.trailguard.events.s3_bucket_deleted as rule

params := {"successful_only": false}

delete := {
	"eventVersion": "1.09",
	"eventSource": "s3.amazonaws.com",
	"eventName": "DeleteBucket",
	"eventType": "AwsApiCall",
	"awsRegion": "eu-west-1",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"bucketName": "customer-exports", "Host": "customer-exports.s3.eu-west-1.amazonaws.com"},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

test_delete_bucket_fires if {
	findings := rule.deny with input as delete with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' deleted S3 bucket 'customer-exports' from 198.51.100.9",
		"resource": "arn:aws:s3:::customer-exports",
		"evidence": {"bucketName": "customer-exports", "awsRegion": "eu-west-1", "errorCode": null},
	}}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(delete, {"errorCode": "BucketNotEmpty"})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' deleted S3 bucket 'customer-exports' (failed: BucketNotEmpty) from 198.51.100.9"
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_other_deletions_do_not_fire if {
	count(rule.deny) == 0 with input as object.union(delete, {"eventName": "DeleteBucketPolicy"}) with data.trailguard.params as params
}
