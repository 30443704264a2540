package trailguard.config.global_service_events_excluded_test

import rego.v1

import data.trailguard.config.global_service_events_excluded as rule
import data.trailguard.lib.testing

excluding := testing.trail({"include_global_service_events": testing.known(false, 8)})

test_excluded_fires_at_the_attribute if {
	r := rule.deny with input as testing.doc([excluding])
	r == {{
		"msg": "Trail 'main' does not record global service events such as IAM and STS (IncludeGlobalServiceEvents is false)",
		"resource": "Trail",
		"loc": testing.loc(8),
		"evidence": {"state": "known", "value": false},
	}}
}

test_terraform_attribute_name if {
	r := rule.deny with input as testing.doc_in("terraform-plan", [excluding])
	some f in r
	f.msg == "Trail 'main' does not record global service events such as IAM and STS (include_global_service_events is false)"
}

test_default_true_passes if {
	t := testing.trail({"include_global_service_events": testing.defaulted(true)})
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_other_trail_including_them_silences if {
	count(rule.deny) == 0 with input as testing.doc([excluding, testing.other_trail({})])
}

test_other_trail_also_excluding_them_does_not_silence if {
	other := testing.other_trail({"include_global_service_events": testing.known(false, 8)})
	r := rule.deny with input as testing.doc([excluding, other])
	{f.resource | some f in r} == {"Trail", "Other"}
	every f in r {
		endswith(f.msg, ", and no other running trail in this document does")
	}
}

test_unknown_never_fires if {
	t := testing.trail({"include_global_service_events": testing.unknown("!Ref Global", 8)})
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_shadow_trail_never_fires if {
	t := object.union(excluding, {"is_shadow": true})
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_live_export_is_not_judged if {
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [excluding])
}
