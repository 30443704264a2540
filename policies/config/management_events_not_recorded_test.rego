package trailguard.config.management_events_not_recorded_test

import rego.v1

import data.trailguard.config.management_events_not_recorded as rule
import data.trailguard.lib.testing

classic(sels) := testing.trail({"event_selectors": testing.known(sels, 15)})

read_only := object.union(testing.all_management, {"read_write_type": "ReadOnly"})

test_read_only_classic_selector_fires if {
	r := rule.deny with input as testing.doc([classic([read_only])])
	r == {{
		"msg": "Trail 'main' does not record all write management events (ReadWriteType is ReadOnly)",
		"resource": "Trail",
		"loc": testing.loc(15),
		"evidence": {"missing": ["write"], "selectors": [read_only]},
	}}
}

test_management_events_excluded_fires if {
	s := object.union(testing.all_management, {"include_management_events": false})
	r := rule.deny with input as testing.doc_in("terraform-hcl", [classic([s])])
	some f in r
	f.msg == "Trail 'main' does not record all read and write management events (no event_selector entry has include_management_events true)"
}

test_excluded_event_source_fires if {
	s := object.union(testing.all_management, {"exclude_management_event_sources": ["kms.amazonaws.com"]})
	r := rule.deny with input as testing.doc([classic([s])])
	some f in r
	f.msg == "Trail 'main' does not record all read and write management events (ExcludeManagementEventSources excludes kms.amazonaws.com)"
}

test_default_selectors_pass if {
	t := testing.trail({"event_selectors": testing.defaulted([testing.all_management])})
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_advanced_read_only_selector_fires if {
	sels := [{"name": "reads", "field_selectors": [
		testing.fs("eventCategory", {"equals": ["Management"]}),
		testing.fs("readOnly", {"equals": ["true"]}),
	]}]
	r := rule.deny with input as testing.doc([testing.trail(testing.advanced(sels))])
	some f in r
	f.msg == "Trail 'main' does not record all write management events (no AdvancedEventSelectors entry selects eventCategory Management without a readOnly or eventSource condition)"
	f.loc == testing.loc(15)
}

test_advanced_management_selector_passes if {
	sels := [
		{"name": "any label", "field_selectors": [testing.fs("eventCategory", {"equals": ["Management"]})]},
		{"name": "s3", "field_selectors": [testing.fs("eventCategory", {"equals": ["Data"]})]},
	]
	count(rule.deny) == 0 with input as testing.doc([testing.trail(testing.advanced(sels))])
}

test_other_trail_recording_management_events_silences if {
	data_only := classic([object.union(testing.compliant_selector, {"include_management_events": false})])
	count(rule.deny) == 0 with input as testing.doc([data_only, testing.other_trail({})])
}

test_other_trail_that_is_stopped_does_not_count if {
	data_only := classic([object.union(testing.compliant_selector, {"include_management_events": false})])
	stopped := testing.other_trail({"is_logging": testing.known(false, 6)})
	r := rule.deny with input as testing.doc([data_only, stopped])
	some f in r
	f.resource == "Trail"
	endswith(f.msg, ", and no other running trail in this document does")
}

test_other_trail_with_unknown_selectors_may_record_them if {
	data_only := classic([object.union(testing.compliant_selector, {"include_management_events": false})])
	other := testing.other_trail({"event_selectors": testing.unknown("var.selectors", 15)})
	count(rule.deny) == 0 with input as testing.doc_in("terraform-plan", [data_only, other])
}

test_unknown_read_write_type_never_fires if {
	s := object.union(testing.all_management, {"read_write_type": {"unknown": "!Ref Mode"}})
	count(rule.deny) == 0 with input as testing.doc([classic([s])])
}

test_shadow_trail_never_fires if {
	t := object.union(classic([read_only]), {"is_shadow": true})
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_live_export_is_left_to_the_account_rule if {
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [classic([read_only])])
}
