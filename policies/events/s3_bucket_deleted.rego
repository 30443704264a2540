# METADATA
# title: S3 bucket deleted
# description: >-
#   A bucket was deleted (it must have been emptied first, so its data is gone unless it was
#   replicated). Also answers "who deleted this bucket?". Failed attempts count unless
#   `successful_only` is true; a failed BucketNotEmpty attempt is often the first step of a
#   destructive sequence.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/delete-bucket.html
# custom:
#   id: TGE031
#   name: s3-bucket-deleted
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the deletion was intended. Look for the DeleteObject calls that emptied it, and
#       restore from replicas or backups if not. Bucket names can be re-registered by anyone, so
#       remove references to the name (DNS, code, policies) if the bucket will not be recreated.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.7"]
#     hipaa-security-rule: ["164.312(b)", "164.312(c)(1)"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     mitre-attack: ["T1485"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [s3.amazonaws.com]
#     eventName: [DeleteBucket]
package trailguard.events.s3_bucket_deleted

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": sprintf("arn:aws:s3:::%s", [bucket]), "evidence": evidence} if {
	input.eventName == "DeleteBucket"
	input.eventSource == "s3.amazonaws.com"
	actor.counted(input)
	bucket := object.get(actor.request(input), "bucketName", "(unknown bucket)")
	msg := sprintf("%s deleted S3 bucket '%s'%s%s", [actor.who(input), bucket, actor.outcome(input), actor.where(input)])
	evidence := {"bucketName": bucket, "awsRegion": object.get(input, "awsRegion", null), "errorCode": object.get(input, "errorCode", null)}
}
