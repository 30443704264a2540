package trailguard.config.s3_write_data_events_not_recorded_test

import rego.v1

import data.trailguard.config.s3_write_data_events_not_recorded as rule
import data.trailguard.lib.testing

classic(resources, rw) := testing.trail({"event_selectors": testing.known(
	[object.union(testing.all_management, {"read_write_type": rw, "data_resources": resources})],
	15,
)})

s3_all := [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::"]}]

test_default_selectors_fire_at_the_header if {
	t := testing.trail({"event_selectors": testing.defaulted([testing.all_management])})
	r := rule.deny with input as testing.doc([t])
	r == {{
		"msg": "Trail 'main' does not record S3 object-level write events for all buckets (no EventSelectors entry with ReadWriteType All or WriteOnly has a DataResources entry of type AWS::S3::Object for all resources)",
		"resource": "Trail",
		"loc": testing.header,
		"evidence": {"data_resource_type": "AWS::S3::Object", "read_only": "false", "selectors": [testing.all_management]},
	}}
}

test_read_only_classic_selector_fires if {
	r := rule.deny with input as testing.doc_in("terraform-hcl", [classic(s3_all, "ReadOnly")])
	some f in r
	f.msg == "Trail 'main' does not record S3 object-level write events for all buckets (no event_selector entry with read_write_type All or WriteOnly has a data_resource entry of type AWS::S3::Object for all resources)"
	f.loc == testing.loc(15)
}

test_one_bucket_is_not_all_buckets if {
	r := rule.deny with input as testing.doc([classic([{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::payroll/"]}], "All")])
	count(r) == 1
}

test_all_buckets_write_only_passes if {
	count(rule.deny) == 0 with input as testing.doc([classic(s3_all, "WriteOnly")])
}

s3_selector(extra) := {"name": "s3", "field_selectors": array.concat(
	[
		testing.fs("eventCategory", {"equals": ["Data"]}),
		testing.fs("resources.type", {"equals": ["AWS::S3::Object"]}),
	],
	extra,
)}

mgmt := {"name": "mgmt", "field_selectors": [testing.fs("eventCategory", {"equals": ["Management"]})]}

test_advanced_selector_excluding_the_log_bucket_passes if {
	arn := testing.fs("resources.ARN", {"not_starts_with": ["arn:aws:s3:::audit-logs/"]})
	t := testing.trail(testing.advanced([mgmt, s3_selector([arn])]))
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_advanced_read_only_selector_fires if {
	t := testing.trail(testing.advanced([mgmt, s3_selector([testing.fs("readOnly", {"equals": ["true"]})])]))
	r := rule.deny with input as testing.doc([t])
	some f in r
	f.msg == "Trail 'main' does not record S3 object-level write events for all buckets (no AdvancedEventSelectors entry selects eventCategory Data and resources.type AWS::S3::Object for writes without narrowing the resources)"
}

test_other_trail_recording_writes_silences if {
	t := testing.trail({"event_selectors": testing.defaulted([testing.all_management])})
	count(rule.deny) == 0 with input as testing.doc([t, testing.other_trail({})])
}

test_unknown_data_resource_value_never_fires if {
	t := classic([{"type": "AWS::S3::Object", "values": [{"unknown": "!Sub arn:aws:s3:::${Bucket}/"}]}], "All")
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_shadow_trail_never_fires if {
	t := testing.trail({"is_shadow": true, "event_selectors": testing.defaulted([testing.all_management])})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
