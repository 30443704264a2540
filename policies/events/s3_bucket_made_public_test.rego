package trailguard.events.s3_bucket_made_public_test

import rego.v1

import data.trailguard.events.s3_bucket_made_public as rule

params := {"successful_only": false}

user := {"type": "IAMUser", "userName": "alice", "arn": "arn:aws:iam::111122223333:user/alice", "accountId": "111122223333"}

base := {
	"eventVersion": "1.09",
	"eventSource": "s3.amazonaws.com",
	"eventType": "AwsApiCall",
	"readOnly": false,
	"sourceIPAddress": "198.51.100.9",
	"recipientAccountId": "111122223333",
	"responseElements": null,
	"userIdentity": user,
}

policy(doc) := object.union(base, {"eventName": "PutBucketPolicy", "requestParameters": {"bucketName": "reports", "policy": "", "bucketPolicy": doc}})

pab := object.union(base, {"eventName": "PutBucketPublicAccessBlock", "requestParameters": {
	"bucketName": "reports",
	"publicAccessBlock": "",
	"PublicAccessBlockConfiguration": {
		"xmlns": "http://s3.amazonaws.com/doc/2006-03-01/",
		"RestrictPublicBuckets": true,
		"BlockPublicPolicy": false,
		"BlockPublicAcls": false,
		"IgnorePublicAcls": true,
	},
}})

acl := object.union(base, {"eventName": "PutBucketAcl", "requestParameters": {
	"bucketName": "reports",
	"acl": "",
	"AccessControlPolicy": {"AccessControlList": {"Grant": [
		{"Grantee": {"xsi:type": "CanonicalUser", "ID": "abc123"}, "Permission": "FULL_CONTROL"},
		{"Grantee": {"xsi:type": "Group", "URI": "http://acs.amazonaws.com/groups/global/AllUsers"}, "Permission": "READ"},
	]}},
}})

test_public_access_block_weakened_fires if {
	findings := rule.deny with input as pab with data.trailguard.params as params
	findings == {{
		"msg": "IAM user 'alice' made bucket 'reports' public: public access block BlockPublicAcls set to false; public access block BlockPublicPolicy set to false from 198.51.100.9",
		"resource": "arn:aws:s3:::reports",
		"evidence": {"eventName": "PutBucketPublicAccessBlock", "target": "bucket 'reports'", "reasons": ["public access block BlockPublicAcls set to false", "public access block BlockPublicPolicy set to false"]},
	}}
}

test_full_public_access_block_does_not_fire if {
	rec := object.union(pab, {"requestParameters": {"PublicAccessBlockConfiguration": {"BlockPublicPolicy": true, "BlockPublicAcls": true}}})
	count(rule.deny) == 0 with input as rec with data.trailguard.params as params
}

test_account_block_deleted_fires if {
	rec := object.union(base, {"eventName": "DeleteAccountPublicAccessBlock", "requestParameters": {"accountId": "111122223333"}})
	findings := rule.deny with input as rec with data.trailguard.params as params
	some f in findings
	f.msg == "IAM user 'alice' made account 111122223333 public: public access block deleted from 198.51.100.9"
}

test_public_acl_grant_fires if {
	findings := rule.deny with input as acl with data.trailguard.params as params
	some f in findings
	f.evidence.reasons == ["ACL grants READ to AllUsers (everyone)"]
}

test_canned_and_header_acl_fire if {
	canned := object.union(base, {"eventName": "PutBucketAcl", "requestParameters": {"bucketName": "reports", "x-amz-acl": ["public-read"]}})
	count(rule.deny) == 1 with input as canned with data.trailguard.params as params
	header := object.union(base, {"eventName": "PutBucketAcl", "requestParameters": {"bucketName": "reports", "x-amz-grant-read": ["uri=http://acs.amazonaws.com/groups/global/AuthenticatedUsers"]}})
	findings := rule.deny with input as header with data.trailguard.params as params
	some f in findings
	f.evidence.reasons == ["x-amz-grant-read header grants AuthenticatedUsers (any AWS account)"]
	private := object.union(base, {"eventName": "PutBucketAcl", "requestParameters": {"bucketName": "reports", "x-amz-acl": ["private"]}})
	count(rule.deny) == 0 with input as private with data.trailguard.params as params
}

test_public_policy_fires if {
	doc := {"Version": "2012-10-17", "Statement": [{"Sid": "PublicRead", "Effect": "Allow", "Principal": "*", "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*"}]}
	findings := rule.deny with input as policy(doc) with data.trailguard.params as params
	some f in findings
	f.evidence.reasons == ["policy statement PublicRead allows everyone"]
}

test_restricted_or_specific_policies_do_not_fire if {
	vpce := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::reports/*", "Condition": {"StringEquals": {"aws:SourceVpce": "vpce-1a2b3c4d"}}}]}
	count(rule.deny) == 0 with input as policy(vpce) with data.trailguard.params as params
	cloudtrail := {"Version": "2012-10-17", "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "s3:PutObject", "Resource": "arn:aws:s3:::reports/*"}]}
	count(rule.deny) == 0 with input as policy(cloudtrail) with data.trailguard.params as params
	deny_insecure := {"Version": "2012-10-17", "Statement": [{"Effect": "Deny", "Principal": "*", "Action": "s3:*", "Resource": "arn:aws:s3:::reports/*", "Condition": {"Bool": {"aws:SecureTransport": "false"}}}]}
	count(rule.deny) == 0 with input as policy(deny_insecure) with data.trailguard.params as params
}

test_failed_attempt_counts_unless_successful_only if {
	rec := object.union(pab, {"errorCode": "AccessDenied"})
	count(rule.deny) == 1 with input as rec with data.trailguard.params as params
	count(rule.deny) == 0 with input as rec with data.trailguard.params as {"successful_only": true}
}
