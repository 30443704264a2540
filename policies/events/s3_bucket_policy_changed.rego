# METADATA
# title: S3 bucket access or lifecycle configuration changed
# description: >-
#   A bucket's ACL, policy, CORS, lifecycle or replication configuration was set or deleted:
#   the nine calls of CIS 4.8. Failed attempts count unless `successful_only` is true. Changes
#   that make a bucket public are also reported, with high severity, by TGE034, and changes to
#   trail buckets listed in `trail_buckets` by TGE019.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
# custom:
#   id: TGE008
#   name: s3-bucket-policy-changed
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Compare the new configuration with the intended one (`aws s3api get-bucket-policy`,
#       `get-bucket-acl`, `get-bucket-lifecycle-configuration`, `get-bucket-replication`). Watch
#       for grants to other accounts or to everyone, replication to buckets you do not own, and
#       lifecycle rules that expire data early.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.8"]
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.312(a)(1)"]
#     nist-800-53-r5: ["AC-3", "CM-3", "AU-6"]
#     mitre-attack: ["T1530"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [s3.amazonaws.com]
#     eventName: [PutBucketAcl, PutBucketPolicy, PutBucketCors, PutBucketLifecycle, PutBucketReplication, DeleteBucketPolicy, DeleteBucketCors, DeleteBucketLifecycle, DeleteBucketReplication]
package trailguard.events.s3_bucket_policy_changed

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": sprintf("arn:aws:s3:::%s", [bucket]), "evidence": evidence} if {
	input.eventName in {
		"PutBucketAcl", "PutBucketPolicy", "PutBucketCors", "PutBucketLifecycle", "PutBucketReplication",
		"DeleteBucketPolicy", "DeleteBucketCors", "DeleteBucketLifecycle", "DeleteBucketReplication",
	}
	input.eventSource == "s3.amazonaws.com"
	actor.counted(input)
	bucket := object.get(actor.request(input), "bucketName", "(unknown bucket)")
	msg := sprintf("%s called s3:%s on bucket '%s'%s%s", [actor.who(input), input.eventName, bucket, actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "bucketName": bucket, "errorCode": object.get(input, "errorCode", null)}
}
