package trailguard.config.cloudwatch_logs_not_integrated_test

import rego.v1

import data.trailguard.config.cloudwatch_logs_not_integrated as rule
import data.trailguard.lib.testing

no_logs := testing.trail({"cloudwatch_logs_group_arn": testing.absent, "cloudwatch_logs_role_arn": testing.absent})

test_missing_log_group_fires_once_at_the_header if {
	r := rule.deny with input as testing.doc([no_logs])
	r == {{
		"msg": "Trail 'main' does not send events to CloudWatch Logs (CloudWatchLogsLogGroupArn is not set)",
		"resource": "Trail",
		"loc": testing.header,
		"evidence": {"state": "absent"},
	}}
}

test_terraform_attribute_name if {
	r := rule.deny with input as testing.doc_in("terraform-hcl", [no_logs])
	some f in r
	f.msg == "Trail 'main' does not send events to CloudWatch Logs (cloud_watch_logs_group_arn is not set)"
}

test_log_group_without_role_fires if {
	t := testing.trail({"cloudwatch_logs_role_arn": testing.absent})
	r := rule.deny with input as testing.doc([t])
	some f in r
	count(r) == 1
	f.msg == "Trail 'main' names a CloudWatch Logs log group but no role to deliver to it (CloudWatchLogsRoleArn is not set)"
	f.evidence.log_group == "arn:aws:logs:us-east-1:111122223333:log-group:trail:*"
}

test_integrated_trail_passes if {
	count(rule.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_unknown_log_group_never_fires if {
	t := testing.trail({
		"cloudwatch_logs_group_arn": testing.unknown("${aws_cloudwatch_log_group.trail.arn}:*", 11),
		"cloudwatch_logs_role_arn": testing.absent,
	})
	count(rule.deny) == 0 with input as testing.doc_in("terraform-plan", [t])
}

test_unknown_role_never_fires if {
	t := testing.trail({"cloudwatch_logs_role_arn": testing.unknown("!GetAtt Role.Arn", 12)})
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_shadow_trail_never_fires if {
	t := object.union(no_logs, {"is_shadow": true})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
