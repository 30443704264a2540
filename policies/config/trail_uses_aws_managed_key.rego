# METADATA
# title: CloudTrail log files are encrypted with an AWS managed key
# description: |
#   An AWS managed key (`alias/aws/...`) has a key policy that AWS writes and you cannot change,
#   so you cannot restrict who may decrypt the logs, separate log readers from account
#   administrators, or control rotation. A customer managed key gives you that control. Live
#   exports show only key ARNs, which do not tell the two kinds apart, so only templates are
#   judged.
# related_resources:
#   - https://docs.aws.amazon.com/kms/latest/developerguide/concepts.html#key-mgmt
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-kms-key-policy-for-cloudtrail.html
# custom:
#   id: TGC007
#   name: trail-uses-aws-managed-key
#   severity: low
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl]
#   remediation:
#     cloudformation: Point `KMSKeyId` at a customer managed AWS::KMS::Key (for example `!GetAtt TrailKey.Arn`) instead of an `alias/aws/...` key.
#     terraform: Point `kms_key_id` at a customer managed aws_kms_key (for example `aws_kms_key.trail.arn`) instead of an `alias/aws/...` key.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.5"]
#     pci-dss-v4.0: ["10.3.1"]
#     pci-dss-v3.2.1: ["10.5.1"]
#     hipaa-security-rule: ["164.312(a)(2)(iv)"]
#     soc2: ["CC6.1"]
#     nist-800-53-r5: ["SC-12", "SC-28(1)"]
package trailguard.config.trail_uses_aws_managed_key

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

deny contains finding if {
	input.format != "live-export"
	some t in trails.owned
	t.kms_key.managed_by == "aws"
	finding := {
		"msg": sprintf("Trail '%s' encrypts log files with an AWS managed key (%s), not a customer managed key", [
			fields.name_of(t),
			fields.describe(t.kms_key_id, attrs.trail("kms_key_id")),
		]),
		"resource": t.id,
		"loc": t.kms_key_id.loc,
		"evidence": object.union(fields.evidence(t.kms_key_id), {"managed_by": "aws"}),
	}
}
