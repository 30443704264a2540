package trailguard.config.trail_delivery_failing_test

import rego.v1

import data.trailguard.config.trail_delivery_failing as rule
import data.trailguard.lib.testing

status(overrides) := testing.override(
	{
		"loc": testing.loc(50),
		"latest_delivery_error": testing.absent,
		"latest_notification_error": testing.absent,
		"latest_cloudwatch_logs_delivery_error": testing.absent,
		"latest_digest_delivery_error": testing.absent,
		"latest_delivery_time": testing.known("2024-05-01T12:00:00Z", 52),
		"latest_cloudwatch_logs_delivery_time": testing.known("2024-05-01T12:00:00Z", 53),
		"latest_digest_delivery_time": testing.known("2024-05-01T12:00:00Z", 54),
		"start_logging_time": testing.known("2024-01-01T00:00:00Z", 55),
		"stop_logging_time": testing.absent,
	},
	overrides,
)

live(s) := testing.doc_in("live-export", [object.union(testing.trail({}), {"status": s})])

test_delivery_error_fires_at_the_error if {
	r := rule.deny with input as live(status({"latest_delivery_error": testing.known("AccessDenied", 56)}))
	r == {{
		"msg": "Trail 'main' is failing to deliver: LatestDeliveryError is \"AccessDenied\"",
		"resource": "Trail",
		"loc": testing.loc(56),
		"evidence": {"LatestDeliveryError": "AccessDenied"},
	}}
}

test_several_errors_make_one_finding if {
	s := status({
		"latest_notification_error": testing.known("AuthorizationError", 57),
		"latest_cloudwatch_logs_delivery_error": testing.known("AccessDeniedException", 58),
	})
	r := rule.deny with input as live(s)
	count(r) == 1
	some f in r
	f.msg == "Trail 'main' is failing to deliver: LatestCloudWatchLogsDeliveryError is \"AccessDeniedException\"; LatestNotificationError is \"AuthorizationError\""
	f.loc == testing.loc(58)
}

test_empty_error_strings_pass if {
	s := status({"latest_delivery_error": testing.known("", 56), "latest_digest_delivery_error": testing.known("", 57)})
	count(rule.deny) == 0 with input as live(s)
}

test_no_errors_pass if {
	count(rule.deny) == 0 with input as live(status({}))
}

test_iac_trail_without_status_passes if {
	count(rule.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_shadow_trail_never_fires if {
	t := object.union(testing.trail({"is_shadow": true}), {"status": status({"latest_delivery_error": testing.known("AccessDenied", 56)})})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
