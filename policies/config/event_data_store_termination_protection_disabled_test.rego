package trailguard.config.event_data_store_termination_protection_disabled_test

import rego.v1

import data.trailguard.config.event_data_store_termination_protection_disabled as rule
import data.trailguard.lib.testing

test_disabled_fires_at_the_attribute if {
	s := testing.eds({"termination_protection_enabled": testing.known(false, 44)})
	r := rule.deny with input as testing.doc_with_stores("cloudformation", [s])
	r == {{
		"msg": "Event data store 'audit-store' can be deleted without first disabling termination protection (TerminationProtectionEnabled is false)",
		"resource": "Store",
		"loc": testing.loc(44),
		"evidence": {"state": "known", "value": false},
	}}
}

test_terraform_attribute_name if {
	s := testing.eds({"termination_protection_enabled": testing.known(false, 44)})
	r := rule.deny with input as testing.doc_with_stores("terraform-plan", [s])
	some f in r
	f.msg == "Event data store 'audit-store' can be deleted without first disabling termination protection (termination_protection_enabled is false)"
}

test_default_passes if {
	count(rule.deny) == 0 with input as testing.doc_with_stores("cloudformation", [testing.eds({})])
}

test_unknown_never_fires if {
	s := testing.eds({"termination_protection_enabled": testing.unknown("!Ref Protect", 44)})
	count(rule.deny) == 0 with input as testing.doc_with_stores("cloudformation", [s])
}
