# METADATA
# title: CloudTrail trail records only its home region
# description: |
#   A single-region trail records API activity in one region only. Activity in every other
#   region (including regions the account never meant to use, where an attacker can start
#   resources unnoticed) is not recorded by this trail. A multi-region trail covers all regions,
#   including regions AWS adds later.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-regional-and-multi-region-trails
# custom:
#   id: TGC002
#   name: trail-not-multi-region
#   severity: medium
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: 'Set `IsMultiRegionTrail: true` on the AWS::CloudTrail::Trail (it defaults to false).'
#     terraform: Set `is_multi_region_trail = true` on the aws_cloudtrail resource (it defaults to false).
#     live: aws cloudtrail update-trail --name <trail> --is-multi-region-trail
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.1"]
#     pci-dss-v4.0: ["10.2.1"]
#     pci-dss-v3.2.1: ["10.1", "10.2"]
#     hipaa-security-rule: ["164.312(b)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-2", "AU-12"]
package trailguard.config.trail_not_multi_region

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

deny contains finding if {
	some t in trails.owned
	t.is_multi_region.value == false
	finding := {
		"msg": sprintf("Trail '%s' records only its home region (%s)", [
			fields.name_of(t),
			fields.describe(t.is_multi_region, attrs.trail("is_multi_region")),
		]),
		"resource": t.id,
		"loc": t.is_multi_region.loc,
		"evidence": fields.evidence(t.is_multi_region),
	}
}
