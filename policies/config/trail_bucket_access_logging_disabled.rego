# METADATA
# title: CloudTrail log bucket has no server access logging
# description: |
#   Server access logging records every request made to the trail's bucket: who read, copied or
#   deleted log files. CloudTrail does not record object-level access to its own bucket unless
#   data events are on for it, so without access logs, tampering with or exfiltration of the
#   audit trail itself leaves no trace.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/ServerLogs.html
# custom:
#   id: TGC011
#   name: trail-bucket-access-logging-disabled
#   severity: low
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: Set `LoggingConfiguration` with `DestinationBucketName` (and a `LogFilePrefix`) on the trail's AWS::S3::Bucket.
#     terraform: Add an `aws_s3_bucket_logging` resource for the trail's bucket with `target_bucket` and `target_prefix`.
#     live: 'aws s3api put-bucket-logging --bucket <bucket> --bucket-logging-status ''{"LoggingEnabled":{"TargetBucket":"<log-bucket>","TargetPrefix":"<prefix>"}}'''
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.4"]
#     pci-dss-v4.0: ["10.2.1.3"]
#     pci-dss-v3.2.1: ["10.2.3"]
#     hipaa-security-rule: ["164.312(b)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
package trailguard.config.trail_bucket_access_logging_disabled

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.buckets
import data.trailguard.lib.fields

deny contains finding if {
	some b in buckets.trail_buckets
	not_logging(b.logging)
	finding := {
		"msg": sprintf("%s has no server access logging (%s)", [
			buckets.label(b),
			fields.describe(b.logging, attrs.bucket("logging")),
		]),
		"resource": b.id,
		"loc": b.logging.loc,
		"evidence": fields.evidence(b.logging),
	}
}

not_logging(f) if fields.missing(f)

not_logging(f) if object.get(f.value, "target_bucket", "") == ""
