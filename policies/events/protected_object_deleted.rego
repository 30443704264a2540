# METADATA
# title: Object deleted from a protected bucket
# description: >-
#   An S3 data event shows an object deleted (DeleteObject, or a DeleteObjects batch) in a
#   bucket or prefix listed in `protected_buckets`. Entries are "bucket" or "bucket/prefix"
#   (an "arn:aws:s3:::" or "s3://" prefix is accepted). DeleteObjects records do not list the
#   keys, so a batch delete in a bucket with a protected prefix is reported at bucket level.
#   A delete naming a versionId removes that version for good. Requires S3 data events on the
#   trail; the rule is inactive while `protected_buckets` is empty. Failed attempts count unless
#   `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/cloudtrail-logging-s3-info.html
# custom:
#   id: TGE033
#   name: protected-object-deleted
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the deletion with the data owner. With versioning on, restore the object by
#       deleting the delete marker or copying the previous version back; without it, restore from
#       replication or backup. Protect such buckets with versioning plus MFA delete or Object
#       Lock.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.1"]
#     hipaa-security-rule: ["164.312(c)(1)", "164.312(b)"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     mitre-attack: ["T1485"]
#   requires_params: [protected_buckets]
#   params:
#     protected_buckets: []
#     successful_only: false
#   selector:
#     eventSource: [s3.amazonaws.com]
#     eventName: [DeleteObject, DeleteObjects]
package trailguard.events.protected_object_deleted

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.eventName in {"DeleteObject", "DeleteObjects"}
	input.eventSource == "s3.amazonaws.com"
	bucket := input.requestParameters.bucketName
	count(protections(bucket)) > 0
	actor.counted(input)
	key := object.get(actor.request(input), "key", null)
	resource := object_arn(bucket, key)
	msg := sprintf("%s %s protected bucket '%s'%s%s", [actor.who(input), what(key), bucket, actor.outcome(input), actor.where(input)])
	evidence := {
		"eventName": input.eventName,
		"bucketName": bucket,
		"key": key,
		"versionId": object.get(actor.request(input), "versionId", null),
		"protectedBy": sort(protections(bucket)),
	}
}

# protections(bucket): the protected_buckets entries this delete falls under.
protections(bucket) := {entry |
	some entry in data.trailguard.params.protected_buckets
	name := trim_prefix(trim_prefix(entry, "arn:aws:s3:::"), "s3://")
	covers(name, bucket)
}

covers(name, bucket) if name == bucket

covers(name, bucket) if name == concat("", [bucket, "/"])

covers(name, bucket) if {
	startswith(name, concat("", [bucket, "/"]))
	prefix := substring(name, count(bucket) + 1, -1)
	startswith(input.requestParameters.key, prefix)
}

# DeleteObjects does not record its keys: any protected prefix of the bucket may be hit.
covers(name, bucket) if {
	input.eventName == "DeleteObjects"
	startswith(name, concat("", [bucket, "/"]))
}

what(key) := sprintf("permanently deleted a version of object '%s' from", [key]) if {
	is_string(key)
	input.requestParameters.versionId
} else := sprintf("deleted object '%s' from", [key]) if {
	is_string(key)
} else := "deleted a batch of objects (keys not recorded) from"

object_arn(bucket, key) := sprintf("arn:aws:s3:::%s/%s", [bucket, key]) if is_string(key)

object_arn(bucket, key) := sprintf("arn:aws:s3:::%s", [bucket]) if not is_string(key)
