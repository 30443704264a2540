# METADATA
# title: CloudTrail trail is not logging
# description: |
#   A trail that is not logging records nothing: API activity in the account goes unaudited
#   until someone starts it again, and the gap cannot be filled afterwards. Attackers stop
#   logging (StopLogging) to hide what follows. In CloudFormation `IsLogging` is required and
#   has no default, so a trail without it is flagged too.
# related_resources:
#   - https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/aws-resource-cloudtrail-trail.html
#   - https://docs.aws.amazon.com/awscloudtrail/latest/APIReference/API_GetTrailStatus.html
# custom:
#   id: TGC001
#   name: trail-logging-disabled
#   severity: high
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: 'Set `IsLogging: true` on the AWS::CloudTrail::Trail.'
#     terraform: Set `enable_logging = true` on the aws_cloudtrail resource (or remove the attribute; it defaults to true).
#     live: aws cloudtrail start-logging --name <trail>
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.1"]
#     pci-dss-v4.0: ["10.2.1"]
#     pci-dss-v3.2.1: ["10.1", "10.2"]
#     hipaa-security-rule: ["164.312(b)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
package trailguard.config.trail_logging_disabled

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

deny contains finding if {
	some t in trails.owned
	t.is_logging.value == false
	finding := {
		"msg": sprintf("Trail '%s' is not logging (%s)%s", [
			fields.name_of(t),
			fields.describe(t.is_logging, attrs.trail("is_logging")),
			stopped_since(t),
		]),
		"resource": t.id,
		"loc": t.is_logging.loc,
		"evidence": object.union(fields.evidence(t.is_logging), stop_evidence(t)),
	}
}

# CloudFormation requires IsLogging; a template without it does not say the trail logs.
deny contains finding if {
	input.format == "cloudformation"
	some t in trails.owned
	fields.missing(t.is_logging)
	finding := {
		"msg": sprintf("Trail '%s' does not set IsLogging, which CloudFormation requires; set it to true to record events", [fields.name_of(t)]),
		"resource": t.id,
		"loc": t.is_logging.loc,
		"evidence": fields.evidence(t.is_logging),
	}
}

stopped_since(t) := sprintf("; logging stopped at %s", [t.status.stop_logging_time.value]) if {
	is_string(t.status.stop_logging_time.value)
} else := ""

stop_evidence(t) := {"stop_logging_time": t.status.stop_logging_time.value} if {
	is_string(t.status.stop_logging_time.value)
} else := {}
