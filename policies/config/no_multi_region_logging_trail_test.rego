package trailguard.config.no_multi_region_logging_trail_test

import rego.v1

import data.trailguard.config.no_multi_region_logging_trail as rule
import data.trailguard.lib.testing

live(trails) := object.union(testing.doc_in("live-export", trails), {"path": "export.json", "account_id": "111122223333"})

file_loc := {"path": "export.json", "line": 1, "column": 1, "end_line": 1, "end_column": 1}

test_compliant_trail_passes if {
	count(rule.deny) == 0 with input as live([testing.trail({})])
}

test_no_trail_at_all_fires_once if {
	r := rule.deny with input as live([])
	r == {{
		"msg": "No trail in account 111122223333 is logging, multi-region and recording all read and write management events",
		"resource": "111122223333",
		"loc": file_loc,
		"evidence": {"trails": {}},
	}}
}

test_every_trail_falling_short_fires_once_listing_why if {
	stopped := testing.trail({"is_logging": testing.known(false, 6)})
	regional := testing.other_trail({"is_multi_region": testing.known(false, 7)})
	r := rule.deny with input as live([stopped, regional])
	count(r) == 1
	some f in r
	f.msg == "No trail in account 111122223333 is logging, multi-region and recording all read and write management events ('main': not logging; 'other': single-region)"
	f.evidence.trails == {"Trail": ["not logging"], "Other": ["single-region"]}
}

test_trails_of_one_name_in_two_regions_are_both_listed if {
	east_arn := "arn:aws:cloudtrail:us-east-1:111122223333:trail/main"
	west_arn := "arn:aws:cloudtrail:us-west-2:111122223333:trail/main"
	east := testing.trail({"id": east_arn, "is_logging": testing.known(false, 6)})
	west := testing.trail({"id": west_arn, "is_multi_region": testing.known(false, 7)})
	r := rule.deny with input as live([east, west])
	count(r) == 1
	some f in r
	f.msg == "No trail in account 111122223333 is logging, multi-region and recording all read and write management events ('main': not logging; 'main': single-region)"
	f.evidence.trails == {east_arn: ["not logging"], west_arn: ["single-region"]}
}

test_read_only_management_events_do_not_count if {
	ro := object.union(testing.all_management, {"read_write_type": "ReadOnly"})
	t := testing.trail({"event_selectors": testing.known([ro], 15)})
	r := rule.deny with input as live([t])
	some f in r
	f.evidence.trails == {"Trail": ["does not record all read and write management events"]}
}

test_one_good_trail_among_bad_ones_passes if {
	stopped := testing.other_trail({"is_logging": testing.known(false, 6)})
	count(rule.deny) == 0 with input as live([stopped, testing.trail({})])
}

test_organization_shadow_trail_counts if {
	shadow := testing.trail({"is_shadow": true, "is_organization_trail": testing.known(true, 16)})
	count(rule.deny) == 0 with input as live([shadow])
}

test_trail_with_unknown_status_may_qualify if {
	t := testing.trail({"is_logging": testing.absent})
	count(rule.deny) == 0 with input as live([t])
}

test_without_account_id_the_export_path_is_the_resource if {
	r := rule.deny with input as testing.doc_in("live-export", [])
	some f in r
	f.resource == "template.yaml"
	f.msg == "No trail in export 'template.yaml' is logging, multi-region and recording all read and write management events"
}

test_iac_documents_are_not_judged if {
	count(rule.deny) == 0 with input as testing.doc([])
}
