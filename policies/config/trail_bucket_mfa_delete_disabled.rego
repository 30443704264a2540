# METADATA
# title: CloudTrail log bucket does not require MFA to delete object versions
# description: |
#   With versioning and MFA delete, deleting a log file version or turning versioning off needs
#   the root user's MFA code, so stolen credentials alone cannot erase the audit trail. MFA
#   delete can be set only by the root user with the S3 API; CloudFormation cannot express it,
#   so the rule applies to Terraform (`aws_s3_bucket_versioning`) and live exports.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/MultiFactorAuthenticationDelete.html
# custom:
#   id: TGC012
#   name: trail-bucket-mfa-delete-disabled
#   severity: low
#   kind: config
#   applies_to: [terraform-plan, terraform-hcl, live-export]
#   remediation:
#     terraform: 'In the `aws_s3_bucket_versioning` of the trail''s bucket set `versioning_configuration { status = "Enabled", mfa_delete = "Enabled" }` and `mfa` to the root user''s "<serial> <code>".'
#     live: aws s3api put-bucket-versioning --bucket <bucket> --versioning-configuration Status=Enabled,MFADelete=Enabled --mfa "<root-mfa-serial> <code>" (as the root user)
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["2.1.2"]
#     pci-dss-v4.0: ["10.3.2"]
#     pci-dss-v3.2.1: ["10.5.2"]
#     hipaa-security-rule: ["164.312(c)(1)"]
#     soc2: ["CC6.1"]
#     nist-800-53-r5: ["AU-9"]
package trailguard.config.trail_bucket_mfa_delete_disabled

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.buckets
import data.trailguard.lib.fields

deny contains finding if {
	input.format != "cloudformation"
	some b in buckets.trail_buckets
	fields.missing(b.versioning)
	finding := {
		"msg": sprintf("%s does not require MFA to delete object versions (%s, so neither versioning nor MFA delete is on)", [
			buckets.label(b),
			fields.describe(b.versioning, attrs.bucket("versioning")),
		]),
		"resource": b.id,
		"loc": b.versioning.loc,
		"evidence": fields.evidence(b.versioning),
	}
}

deny contains finding if {
	input.format != "cloudformation"
	some b in buckets.trail_buckets
	mfa_delete := object.get(b.versioning.value, "mfa_delete", "Disabled")
	mfa_delete == "Disabled"
	finding := {
		"msg": sprintf("%s does not require MFA to delete object versions (%s is \"Disabled\")", [
			buckets.label(b),
			attrs.bucket("mfa_delete"),
		]),
		"resource": b.id,
		"loc": b.versioning.loc,
		"evidence": fields.evidence(b.versioning),
	}
}
