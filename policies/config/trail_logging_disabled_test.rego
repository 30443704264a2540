package trailguard.config.trail_logging_disabled_test

import rego.v1

import data.trailguard.config.trail_logging_disabled
import data.trailguard.lib.testing

test_logging_false_fires_at_the_attribute if {
	r := trail_logging_disabled.deny with input as testing.doc([testing.trail({"is_logging": testing.known(false, 6)})])
	r == {{
		"msg": "Trail 'main' is not logging (IsLogging is false)",
		"resource": "Trail",
		"loc": testing.loc(6),
		"evidence": {"state": "known", "value": false},
	}}
}

test_terraform_names_enable_logging if {
	t := testing.trail({"id": "aws_cloudtrail.main", "is_logging": testing.known(false, 6)})
	r := trail_logging_disabled.deny with input as testing.doc_in("terraform-hcl", [t])
	some f in r
	f.msg == "Trail 'main' is not logging (enable_logging is false)"
	f.resource == "aws_cloudtrail.main"
}

test_logging_true_passes if {
	count(trail_logging_disabled.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_terraform_default_true_passes if {
	t := testing.trail({"is_logging": testing.defaulted(true)})
	count(trail_logging_disabled.deny) == 0 with input as testing.doc_in("terraform-plan", [t])
}

test_cloudformation_missing_is_logging_fires_at_the_header if {
	r := trail_logging_disabled.deny with input as testing.doc([testing.trail({"is_logging": testing.absent})])
	some f in r
	count(r) == 1
	f.loc == testing.header
	f.msg == "Trail 'main' does not set IsLogging, which CloudFormation requires; set it to true to record events"
}

test_missing_is_logging_outside_cloudformation_is_not_judged if {
	t := testing.trail({"is_logging": testing.absent})
	count(trail_logging_disabled.deny) == 0 with input as testing.doc_in("live-export", [t])
}

test_unknown_never_fires if {
	t := testing.trail({"is_logging": testing.unknown("!Ref EnableLogging", 6)})
	count(trail_logging_disabled.deny) == 0 with input as testing.doc([t])
}

test_parameter_default_is_shown if {
	f := object.union(testing.known(false, 6), {"note": "resolved from parameter Logging's Default"})
	r := trail_logging_disabled.deny with input as testing.doc([testing.trail({"is_logging": f})])
	some x in r
	x.msg == "Trail 'main' is not logging (IsLogging is false; resolved from parameter Logging's Default)"
	x.evidence.note == "resolved from parameter Logging's Default"
}

test_live_stopped_trail_reports_stop_time if {
	t := testing.trail({
		"id": "arn:aws:cloudtrail:us-east-1:111122223333:trail/main",
		"is_logging": testing.known(false, 6),
		"status": {"loc": testing.loc(50), "stop_logging_time": testing.known("2024-05-01T12:00:00Z", 51)},
	})
	r := trail_logging_disabled.deny with input as testing.doc_in("live-export", [t])
	some f in r
	f.msg == "Trail 'main' is not logging (IsLogging is false); logging stopped at 2024-05-01T12:00:00Z"
	f.evidence.stop_logging_time == "2024-05-01T12:00:00Z"
}

test_shadow_trail_never_fires if {
	t := testing.trail({"is_shadow": true, "is_logging": testing.known(false, 6)})
	count(trail_logging_disabled.deny) == 0 with input as testing.doc_in("live-export", [t])
}

test_only_the_stopped_trail_fires if {
	r := trail_logging_disabled.deny with input as testing.doc([
		testing.trail({"is_logging": testing.known(false, 6)}),
		testing.other_trail({}),
	])
	{f.resource | some f in r} == {"Trail"}
}
