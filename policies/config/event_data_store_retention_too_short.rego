# METADATA
# title: CloudTrail Lake event data store keeps events for too short a time
# description: |
#   An event data store deletes events older than its retention period. Investigations often
#   start months after the fact, and PCI DSS requires at least 12 months of audit history. The
#   minimum is the `min_retention_days` parameter (default 365); the AWS default retention of
#   2557 days (7 years) passes.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-lake-manage-costs.html#cloudtrail-lake-manage-costs-retention
# custom:
#   id: TGC018
#   name: event-data-store-retention-too-short
#   severity: medium
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   params:
#     min_retention_days: 365
#   remediation:
#     cloudformation: Set `RetentionPeriod` on the AWS::CloudTrail::EventDataStore to at least the required number of days (365 for PCI DSS), or remove it for the 2557-day default.
#     terraform: Set `retention_period` on the aws_cloudtrail_event_data_store to at least the required number of days (365 for PCI DSS), or remove it for the 2557-day default.
#     live: aws cloudtrail update-event-data-store --event-data-store <arn> --retention-period 365
#   frameworks:
#     pci-dss-v4.0: ["10.5.1"]
#     pci-dss-v3.2.1: ["10.7"]
#     hipaa-security-rule: ["164.316(b)(2)(i)"]
#     nist-800-53-r5: ["AU-11"]
package trailguard.config.event_data_store_retention_too_short

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields

deny contains finding if {
	minimum := data.trailguard.params.min_retention_days
	some s in input.event_data_stores
	is_number(s.retention_period.value)
	s.retention_period.value < minimum
	finding := {
		"msg": sprintf("Event data store '%s' keeps events for %v days (%s), less than the required %v", [
			fields.name_of(s),
			s.retention_period.value,
			attrs.eds("retention_period"),
			minimum,
		]),
		"resource": s.id,
		"loc": s.retention_period.loc,
		"evidence": object.union(fields.evidence(s.retention_period), {"min_retention_days": minimum}),
	}
}
