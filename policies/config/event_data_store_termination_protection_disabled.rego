# METADATA
# title: CloudTrail Lake event data store can be deleted without disabling protection
# description: |
#   Termination protection makes DeleteEventDataStore fail until someone first turns protection
#   off, a separate and separately logged change. Without it, one call deletes the store and,
#   after the 7-day pending-deletion window, every event it held. It is on by default.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/query-eds-termination-protection.html
# custom:
#   id: TGC019
#   name: event-data-store-termination-protection-disabled
#   severity: medium
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: 'Set `TerminationProtectionEnabled: true` on the AWS::CloudTrail::EventDataStore (or remove it; it defaults to true).'
#     terraform: Set `termination_protection_enabled = true` on the aws_cloudtrail_event_data_store (or remove it; it defaults to true).
#     live: aws cloudtrail update-event-data-store --event-data-store <arn> --termination-protection-enabled
#   frameworks:
#     pci-dss-v4.0: ["10.3.2"]
#     pci-dss-v3.2.1: ["10.5.2"]
#     hipaa-security-rule: ["164.312(c)(1)"]
#     soc2: ["CC6.1"]
#     nist-800-53-r5: ["AU-9"]
package trailguard.config.event_data_store_termination_protection_disabled

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields

deny contains finding if {
	some s in input.event_data_stores
	s.termination_protection_enabled.value == false
	finding := {
		"msg": sprintf("Event data store '%s' can be deleted without first disabling termination protection (%s)", [
			fields.name_of(s),
			fields.describe(s.termination_protection_enabled, attrs.eds("termination_protection_enabled")),
		]),
		"resource": s.id,
		"loc": s.termination_protection_enabled.loc,
		"evidence": fields.evidence(s.termination_protection_enabled),
	}
}
