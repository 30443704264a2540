package trailguard.config.trail_not_multi_region_test

import rego.v1

import data.trailguard.config.trail_not_multi_region
import data.trailguard.lib.testing

test_single_region_fires_at_the_attribute if {
	r := trail_not_multi_region.deny with input as testing.doc([testing.trail({"is_multi_region": testing.known(false, 7)})])
	r == {{
		"msg": "Trail 'main' records only its home region (IsMultiRegionTrail is false)",
		"resource": "Trail",
		"loc": testing.loc(7),
		"evidence": {"state": "known", "value": false},
	}}
}

test_defaulted_false_fires_at_the_header if {
	t := testing.trail({"is_multi_region": testing.defaulted(false)})
	r := trail_not_multi_region.deny with input as testing.doc_in("terraform-hcl", [t])
	some f in r
	f.msg == "Trail 'main' records only its home region (is_multi_region_trail is not set and defaults to false)"
	f.loc == testing.header
	f.evidence.defaulted == true
}

test_multi_region_passes if {
	count(trail_not_multi_region.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_unknown_never_fires if {
	t := testing.trail({"is_multi_region": testing.unknown("var.multi_region", 7)})
	count(trail_not_multi_region.deny) == 0 with input as testing.doc_in("terraform-plan", [t])
}

test_shadow_trail_never_fires if {
	t := testing.trail({"is_shadow": true, "is_multi_region": testing.known(false, 7)})
	count(trail_not_multi_region.deny) == 0 with input as testing.doc_in("live-export", [t])
}

test_live_names_the_api_field if {
	t := testing.trail({"is_multi_region": testing.known(false, 7)})
	r := trail_not_multi_region.deny with input as testing.doc_in("live-export", [t])
	some f in r
	f.msg == "Trail 'main' records only its home region (IsMultiRegionTrail is false)"
}

test_trail_without_name_uses_its_id if {
	t := testing.trail({"name": testing.absent, "is_multi_region": testing.known(false, 7)})
	r := trail_not_multi_region.deny with input as testing.doc([t])
	some f in r
	f.msg == "Trail 'Trail' records only its home region (IsMultiRegionTrail is false)"
}
