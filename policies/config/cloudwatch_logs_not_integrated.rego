# METADATA
# title: CloudTrail trail does not send events to CloudWatch Logs
# description: |
#   Log files in S3 can be searched after the fact, but alarms need the events in CloudWatch
#   Logs: the CIS monitoring controls (root use, console sign-in without MFA, IAM policy and
#   CloudTrail changes) are metric filters on the trail's log group. A trail also needs a role
#   that CloudTrail can assume to deliver to that group; a log group without a role receives
#   nothing.
# related_resources:
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/send-cloudtrail-events-to-cloudwatch-logs.html
# custom:
#   id: TGC008
#   name: cloudwatch-logs-not-integrated
#   severity: low
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: Set `CloudWatchLogsLogGroupArn` (for example `!GetAtt TrailLogGroup.Arn`) and `CloudWatchLogsRoleArn` (a role cloudtrail.amazonaws.com can assume with logs:CreateLogStream and logs:PutLogEvents) on the AWS::CloudTrail::Trail.
#     terraform: Set `cloud_watch_logs_group_arn` (for example `"${aws_cloudwatch_log_group.trail.arn}:*"`) and `cloud_watch_logs_role_arn` on the aws_cloudtrail resource.
#     live: aws cloudtrail update-trail --name <trail> --cloud-watch-logs-log-group-arn <log-group-arn> --cloud-watch-logs-role-arn <role-arn>
#   frameworks:
#     pci-dss-v4.0: ["10.3.3", "10.4.1.1"]
#     pci-dss-v3.2.1: ["10.5.3", "10.6"]
#     hipaa-security-rule: ["164.308(a)(1)(ii)(D)"]
#     soc2: ["CC7.2"]
#     nist-800-53-r5: ["AU-6(1)", "AU-6(3)", "SI-4"]
#     aws-fsbp: ["CloudTrail.5"]
package trailguard.config.cloudwatch_logs_not_integrated

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

deny contains finding if {
	some t in trails.owned
	fields.unset(t.cloudwatch_logs_group_arn)
	finding := {
		"msg": sprintf("Trail '%s' does not send events to CloudWatch Logs (%s)", [
			fields.name_of(t),
			fields.describe(t.cloudwatch_logs_group_arn, attrs.trail("cloudwatch_logs_group_arn")),
		]),
		"resource": t.id,
		"loc": t.cloudwatch_logs_group_arn.loc,
		"evidence": fields.evidence(t.cloudwatch_logs_group_arn),
	}
}

deny contains finding if {
	some t in trails.owned
	is_string(t.cloudwatch_logs_group_arn.value)
	t.cloudwatch_logs_group_arn.value != ""
	fields.unset(t.cloudwatch_logs_role_arn)
	finding := {
		"msg": sprintf("Trail '%s' names a CloudWatch Logs log group but no role to deliver to it (%s)", [
			fields.name_of(t),
			fields.describe(t.cloudwatch_logs_role_arn, attrs.trail("cloudwatch_logs_role_arn")),
		]),
		"resource": t.id,
		"loc": t.cloudwatch_logs_role_arn.loc,
		"evidence": {
			"log_group": t.cloudwatch_logs_group_arn.value,
			"role": fields.evidence(t.cloudwatch_logs_role_arn),
		},
	}
}
