# METADATA
# title: CloudTrail trail excludes global service events
# description: |
#   Global services (IAM, STS, CloudFront, Route 53) log to us-east-1 and reach a trail only when
#   it includes global service events. Without them, IAM user, role, policy and access-key
#   changes are not recorded. The rule is quiet when another running trail in the same document
#   includes them (single-region trails often leave them to one trail to avoid duplicates). In
#   live exports a multi-region trail always includes them, so TGC002 and TGC021 cover this there.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events
# custom:
#   id: TGC004
#   name: global-service-events-excluded
#   severity: low
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl]
#   remediation:
#     cloudformation: 'Set `IncludeGlobalServiceEvents: true` on the AWS::CloudTrail::Trail (or remove it; it defaults to true).'
#     terraform: Set `include_global_service_events = true` on the aws_cloudtrail resource (or remove it; it defaults to true).
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.1"]
#     pci-dss-v4.0: ["10.2.1.2", "10.2.1.5"]
#     pci-dss-v3.2.1: ["10.2.2"]
#     hipaa-security-rule: ["164.312(b)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
package trailguard.config.global_service_events_excluded

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

deny contains finding if {
	input.format != "live-export"
	some t in trails.owned
	t.include_global_service_events.value == false
	trails.no_other_includes_global_events(t)
	finding := {
		"msg": sprintf("Trail '%s' does not record global service events such as IAM and STS (%s)%s", [
			fields.name_of(t),
			fields.describe(t.include_global_service_events, attrs.trail("include_global_service_events")),
			elsewhere,
		]),
		"resource": t.id,
		"loc": t.include_global_service_events.loc,
		"evidence": fields.evidence(t.include_global_service_events),
	}
}

elsewhere := trails.no_other_note if count(input.trails) > 1

elsewhere := "" if count(input.trails) <= 1
