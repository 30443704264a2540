package trailguard.config.log_file_validation_disabled_test

import rego.v1

import data.trailguard.config.log_file_validation_disabled as rule
import data.trailguard.lib.testing

test_false_fires_at_the_attribute if {
	r := rule.deny with input as testing.doc([testing.trail({"log_file_validation": testing.known(false, 9)})])
	r == {{
		"msg": "Trail 'main' has log file validation disabled (EnableLogFileValidation is false)",
		"resource": "Trail",
		"loc": testing.loc(9),
		"evidence": {"state": "known", "value": false},
	}}
}

test_defaulted_false_fires_at_the_header if {
	t := testing.trail({"log_file_validation": testing.defaulted(false)})
	r := rule.deny with input as testing.doc_in("terraform-hcl", [t])
	r == {{
		"msg": "Trail 'main' has log file validation disabled (enable_log_file_validation is not set and defaults to false)",
		"resource": "Trail",
		"loc": testing.header,
		"evidence": {"state": "absent", "value": false, "defaulted": true},
	}}
}

test_live_uses_the_api_name if {
	t := testing.trail({"log_file_validation": testing.known(false, 9)})
	r := rule.deny with input as testing.doc_in("live-export", [t])
	some f in r
	f.msg == "Trail 'main' has log file validation disabled (LogFileValidationEnabled is false)"
}

test_enabled_passes if {
	count(rule.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_unknown_never_fires if {
	t := testing.trail({"log_file_validation": testing.unknown("var.validation", 9)})
	count(rule.deny) == 0 with input as testing.doc_in("terraform-plan", [t])
}

test_shadow_trail_never_fires if {
	t := testing.trail({"is_shadow": true, "log_file_validation": testing.known(false, 9)})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
