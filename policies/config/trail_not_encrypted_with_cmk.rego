# METADATA
# title: CloudTrail log files are not encrypted with a KMS key
# description: |
#   Without a KMS key CloudTrail encrypts log files with S3-managed keys (SSE-S3), so anyone who
#   can read the bucket can read every API call in the account. With SSE-KMS, reading also needs
#   kms:Decrypt on a key whose policy you control, and every decryption is itself logged.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/encrypting-cloudtrail-log-files-with-aws-kms.html
# custom:
#   id: TGC006
#   name: trail-not-encrypted-with-cmk
#   severity: medium
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: Set `KMSKeyId` on the AWS::CloudTrail::Trail to a customer managed key (for example `!GetAtt TrailKey.Arn`) whose key policy lets cloudtrail.amazonaws.com use it.
#     terraform: Set `kms_key_id` on the aws_cloudtrail resource to a customer managed key ARN (for example `aws_kms_key.trail.arn`) whose key policy lets cloudtrail.amazonaws.com use it.
#     live: aws cloudtrail update-trail --name <trail> --kms-key-id <key-arn>
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.5"]
#     pci-dss-v4.0: ["10.3.1", "10.3.2"]
#     pci-dss-v3.2.1: ["10.5.1", "10.5.2"]
#     hipaa-security-rule: ["164.312(a)(2)(iv)", "164.312(c)(1)"]
#     soc2: ["CC6.1"]
#     nist-800-53-r5: ["AU-9", "AU-9(3)", "SC-28", "SC-28(1)"]
#     aws-fsbp: ["CloudTrail.2"]
package trailguard.config.trail_not_encrypted_with_cmk

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

deny contains finding if {
	some t in trails.owned
	fields.unset(t.kms_key_id)
	finding := {
		"msg": sprintf("Trail '%s' log files are not encrypted with a KMS key (%s), so they use S3-managed keys", [
			fields.name_of(t),
			fields.describe(t.kms_key_id, attrs.trail("kms_key_id")),
		]),
		"resource": t.id,
		"loc": t.kms_key_id.loc,
		"evidence": fields.evidence(t.kms_key_id),
	}
}
