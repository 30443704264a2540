# METADATA
# title: CloudTrail trail reports delivery errors
# description: |
#   get-trail-status reports the last error CloudTrail hit when delivering log files to S3,
#   digest files, notifications to SNS, or events to CloudWatch Logs. An error there usually
#   means a bucket, key or topic policy changed: events may be recorded but not delivered, and
#   the trail looks healthy in every template. Only live exports carry this status.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
# custom:
#   id: TGC017
#   name: trail-delivery-failing
#   severity: high
#   kind: config
#   applies_to: [live-export]
#   remediation:
#     live: Run `aws cloudtrail get-trail-status --name <trail>`, fix the bucket policy, KMS key policy, SNS topic policy or CloudWatch Logs role named by the error, then confirm the Latest*DeliveryTime values advance.
#   frameworks:
#     pci-dss-v4.0: ["10.7.2"]
#     pci-dss-v3.2.1: ["10.8"]
#     hipaa-security-rule: ["164.308(a)(1)(ii)(D)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-5"]
package trailguard.config.trail_delivery_failing

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

# In the order a reader should look at them: the log files themselves first.
error_fields := [
	"latest_delivery_error",
	"latest_digest_delivery_error",
	"latest_cloudwatch_logs_delivery_error",
	"latest_notification_error",
]

deny contains finding if {
	some t in trails.owned
	failing := [k |
		some k in error_fields
		is_string(t.status[k].value)
		t.status[k].value != ""
	]
	count(failing) > 0
	finding := {
		"msg": sprintf("Trail '%s' is failing to deliver: %s", [
			fields.name_of(t),
			concat("; ", [sprintf("%s is %s", [attrs.status(k), fields.show(t.status[k].value)]) | some k in failing]),
		]),
		"resource": t.id,
		"loc": t.status[failing[0]].loc,
		"evidence": {attrs.status(k): t.status[k].value | some k in failing},
	}
}
