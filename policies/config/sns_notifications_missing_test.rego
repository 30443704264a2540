package trailguard.config.sns_notifications_missing_test

import rego.v1

import data.trailguard.config.sns_notifications_missing as rule
import data.trailguard.lib.testing

test_missing_topic_fires_at_the_header if {
	r := rule.deny with input as testing.doc([testing.trail({"sns_topic": testing.absent})])
	r == {{
		"msg": "Trail 'main' sends no SNS notification when it delivers log files (SnsTopicName is not set)",
		"resource": "Trail",
		"loc": testing.header,
		"evidence": {"state": "absent"},
	}}
}

test_terraform_attribute_name if {
	r := rule.deny with input as testing.doc_in("terraform-plan", [testing.trail({"sns_topic": testing.absent})])
	some f in r
	f.msg == "Trail 'main' sends no SNS notification when it delivers log files (sns_topic_name is not set)"
}

test_topic_set_passes if {
	count(rule.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_unknown_topic_never_fires if {
	t := testing.trail({"sns_topic": testing.unknown("aws_sns_topic.trail.name", 13)})
	count(rule.deny) == 0 with input as testing.doc_in("terraform-plan", [t])
}

test_shadow_trail_never_fires if {
	t := testing.trail({"is_shadow": true, "sns_topic": testing.absent})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
