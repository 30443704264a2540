# METADATA
# title: CloudTrail log bucket tampered with
# description: >-
#   A bucket named in the `trail_buckets` parameter (the buckets your trails deliver to) had its
#   policy, ACL, lifecycle, versioning, replication, encryption, public access block, ownership
#   or object lock settings changed, was deleted, or had objects deleted. Lifecycle rules that
#   expire logs, a policy that admits other principals and deleted log files all destroy or
#   expose the audit record. Versioning changes are reported when they suspend versioning or
#   turn MFA delete off. The rule is inactive while `trail_buckets` is empty. Failed attempts
#   count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
# custom:
#   id: TGE019
#   name: trail-bucket-tampered
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Compare the bucket's configuration with your infrastructure code and restore it: policy
#       limited to the CloudTrail service principal with aws:SourceArn, versioning (ideally with
#       MFA delete or Object Lock), no expiring lifecycle rules within your retention period.
#       Deleted log files can be recovered from previous versions when versioning was on; check
#       log file integrity with `aws cloudtrail validate-logs`.
#   frameworks:
#     pci-dss-v4.0: ["10.3.2"]
#     hipaa-security-rule: ["164.312(b)", "164.312(c)(1)"]
#     nist-800-53-r5: ["AU-9"]
#     mitre-attack: ["T1562.008", "T1070"]
#   requires_params: [trail_buckets]
#   params:
#     trail_buckets: []
#     successful_only: false
#   selector:
#     eventSource: [s3.amazonaws.com]
#     eventName: [PutBucketPolicy, DeleteBucketPolicy, PutBucketAcl, PutBucketLifecycle, PutBucketLifecycleConfiguration, DeleteBucketLifecycle, PutBucketVersioning, PutBucketReplication, DeleteBucketReplication, PutBucketEncryption, DeleteBucketEncryption, PutBucketPublicAccessBlock, DeleteBucketPublicAccessBlock, PutBucketOwnershipControls, DeleteBucketOwnershipControls, PutObjectLockConfiguration, DeleteBucket, DeleteObject, DeleteObjects]
package trailguard.events.trail_bucket_tampered

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": sprintf("arn:aws:s3:::%s", [bucket]), "evidence": evidence} if {
	input.eventName in {
		"PutBucketPolicy", "DeleteBucketPolicy", "PutBucketAcl", "PutBucketLifecycle",
		"PutBucketLifecycleConfiguration", "DeleteBucketLifecycle", "PutBucketVersioning",
		"PutBucketReplication", "DeleteBucketReplication", "PutBucketEncryption", "DeleteBucketEncryption",
		"PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock", "PutBucketOwnershipControls",
		"DeleteBucketOwnershipControls", "PutObjectLockConfiguration", "DeleteBucket", "DeleteObject",
		"DeleteObjects",
	}
	input.eventSource == "s3.amazonaws.com"
	bucket := input.requestParameters.bucketName
	bucket in {b | some b in data.trailguard.params.trail_buckets}
	actor.counted(input)
	not harmless_versioning
	key := object.get(actor.request(input), "key", null)
	msg := sprintf("%s called s3:%s on CloudTrail log bucket '%s'%s%s%s", [actor.who(input), input.eventName, bucket, object_suffix(key), actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "bucketName": bucket, "key": key, "errorCode": object.get(input, "errorCode", null)}
}

# Turning versioning (or MFA delete) on is the remediation, not the attack.
harmless_versioning if {
	input.eventName == "PutBucketVersioning"
	conf := input.requestParameters.VersioningConfiguration
	conf.Status == "Enabled"
	not conf.MfaDelete == "Disabled"
}

object_suffix(key) := sprintf(" (object '%s')", [key]) if is_string(key)

object_suffix(key) := "" if not is_string(key)
