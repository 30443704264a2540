# METADATA
# title: CloudTrail log file validation is disabled
# description: |
#   With log file validation, CloudTrail writes signed hourly digest files holding a hash of
#   every log file it delivered. Without them nobody can show that a log file was not changed or
#   deleted after delivery, which is what auditors and incident responders need to rely on the
#   logs. CloudFormation and Terraform both default to disabled.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-log-file-validation-intro.html
# custom:
#   id: TGC005
#   name: log-file-validation-disabled
#   severity: medium
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: 'Set `EnableLogFileValidation: true` on the AWS::CloudTrail::Trail (it defaults to false).'
#     terraform: Set `enable_log_file_validation = true` on the aws_cloudtrail resource (it defaults to false).
#     live: aws cloudtrail update-trail --name <trail> --enable-log-file-validation
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["3.2"]
#     pci-dss-v4.0: ["10.3.4"]
#     pci-dss-v3.2.1: ["10.5.2", "10.5.5"]
#     hipaa-security-rule: ["164.312(c)(1)", "164.312(c)(2)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-9", "AU-10", "SI-7(1)"]
#     aws-fsbp: ["CloudTrail.4"]
package trailguard.config.log_file_validation_disabled

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

deny contains finding if {
	some t in trails.owned
	t.log_file_validation.value == false
	finding := {
		"msg": sprintf("Trail '%s' has log file validation disabled (%s)", [
			fields.name_of(t),
			fields.describe(t.log_file_validation, attrs.trail("log_file_validation")),
		]),
		"resource": t.id,
		"loc": t.log_file_validation.loc,
		"evidence": fields.evidence(t.log_file_validation),
	}
}
