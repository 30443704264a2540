package trailguard.events.s3_bucket_policy_changed_test

import rego.v1

import data.trailguard.events.s3_bucket_policy_changed as rule

params := {"successful_only": false}

put_cors := {
	"eventVersion": "1.09",
	"eventSource": "s3.amazonaws.com",
	"eventName": "PutBucketCors",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"requestParameters": {"bucketName": "static-site", "Host": "static-site.s3.amazonaws.com", "cors": ""},
	"responseElements": null,
	"userIdentity": {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"},
}

test_put_bucket_cors_fires if {
	findings := rule.deny with input as put_cors with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' called s3:PutBucketCors on bucket 'static-site' from 198.51.100.9",
		"resource": "arn:aws:s3:::static-site",
		"evidence": {"eventName": "PutBucketCors", "bucketName": "static-site", "errorCode": null},
	}}
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(put_cors, {"eventName": "DeleteBucketPolicy", "errorCode": "NoSuchBucketPolicy"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}

test_other_bucket_calls_do_not_fire if {
	rec := object.union(put_cors, {"eventName": "PutBucketTagging"})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}
