package trailguard.config.event_data_store_retention_too_short_test

import rego.v1

import data.trailguard.config.event_data_store_retention_too_short as rule
import data.trailguard.lib.testing

params := {"min_retention_days": 365}

store(days) := testing.eds({"retention_period": testing.known(days, 42)})

test_ninety_days_fires_at_the_attribute if {
	r := rule.deny with input as testing.doc_with_stores("cloudformation", [store(90)]) with data.trailguard.params as params
	r == {{
		"msg": "Event data store 'audit-store' keeps events for 90 days (RetentionPeriod), less than the required 365",
		"resource": "Store",
		"loc": testing.loc(42),
		"evidence": {"state": "known", "value": 90, "min_retention_days": 365},
	}}
}

test_exactly_the_minimum_passes if {
	count(rule.deny) == 0 with input as testing.doc_with_stores("cloudformation", [store(365)]) with data.trailguard.params as params
}

test_aws_default_passes if {
	s := testing.eds({"retention_period": testing.defaulted(2557)})
	count(rule.deny) == 0 with input as testing.doc_with_stores("terraform-hcl", [s]) with data.trailguard.params as params
}

test_parameter_raises_the_bar if {
	r := rule.deny with input as testing.doc_with_stores("terraform-hcl", [store(400)])
		with data.trailguard.params as {"min_retention_days": 2557}
	some f in r
	f.msg == "Event data store 'audit-store' keeps events for 400 days (retention_period), less than the required 2557"
}

test_unknown_never_fires if {
	s := testing.eds({"retention_period": testing.unknown("var.retention", 42)})
	count(rule.deny) == 0 with input as testing.doc_with_stores("terraform-plan", [s]) with data.trailguard.params as params
}

test_each_short_store_fires if {
	other := testing.override(store(30), {"id": "Other", "name": testing.known("other-store", 41)})
	r := rule.deny with input as testing.doc_with_stores("cloudformation", [store(90), other, store(3000)])
		with data.trailguard.params as params
	{f.resource | some f in r} == {"Store", "Other"}
}
