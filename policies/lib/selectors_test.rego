package trailguard.lib.selectors_test

import rego.v1

import data.trailguard.lib.selectors
import data.trailguard.lib.testing

# --- single field selector semantics -------------------------------------------------------

test_equals_matches_one_of_the_values if {
	fs := testing.fs("eventCategory", {"equals": ["Data", "Management"]})
	selectors.admits(fs, "Management")
	not selectors.admits(fs, "Insight")
}

test_equals_is_case_sensitive if {
	not selectors.admits(testing.fs("eventCategory", {"equals": ["management"]}), "Management")
}

test_not_equals_excludes_every_listed_value if {
	fs := testing.fs("eventSource", {"not_equals": ["kms.amazonaws.com", "rdsdata.amazonaws.com"]})
	selectors.admits(fs, "s3.amazonaws.com")
	not selectors.admits(fs, "kms.amazonaws.com")
	not selectors.admits(fs, "rdsdata.amazonaws.com")
}

test_starts_with_and_not_starts_with if {
	arn := "arn:aws:s3:::audit-logs/AWSLogs/1.json.gz"
	selectors.admits(testing.fs("resources.ARN", {"starts_with": ["arn:aws:s3:::other/", "arn:aws:s3:::audit-logs/"]}), arn)
	not selectors.admits(testing.fs("resources.ARN", {"starts_with": ["arn:aws:s3:::other/"]}), arn)
	not selectors.admits(testing.fs("resources.ARN", {"not_starts_with": ["arn:aws:s3:::audit-logs/"]}), arn)
	selectors.admits(testing.fs("resources.ARN", {"not_starts_with": ["arn:aws:s3:::other/"]}), arn)
}

test_ends_with_and_not_ends_with if {
	selectors.admits(testing.fs("resources.ARN", {"ends_with": [".json", ".gz"]}), "k/x.gz")
	not selectors.admits(testing.fs("resources.ARN", {"ends_with": [".json"]}), "k/x.gz")
	not selectors.admits(testing.fs("resources.ARN", {"not_ends_with": [".gz"]}), "k/x.gz")
	selectors.admits(testing.fs("resources.ARN", {"not_ends_with": [".json"]}), "k/x.gz")
}

test_operators_in_one_field_selector_are_anded if {
	fs := testing.fs("resources.ARN", {"starts_with": ["arn:aws:s3:::a"], "not_ends_with": [".tmp"]})
	selectors.admits(fs, "arn:aws:s3:::a/x.json")
	not selectors.admits(fs, "arn:aws:s3:::a/x.tmp")
	not selectors.admits(fs, "arn:aws:s3:::b/x.json")
}

test_field_selector_without_conditions_admits_everything if {
	selectors.admits(testing.fs("eventName", {}), "PutObject")
}

test_boolean_values_compare_as_text if {
	selectors.admits(testing.fs("readOnly", {"equals": [true]}), "true")
	not selectors.admits(testing.fs("readOnly", {"equals": ["true"]}), "false")
}

# --- advanced selectors: management events -------------------------------------------------

mgmt_all := {"name": "Management", "field_selectors": [testing.fs("eventCategory", {"equals": ["Management"]})]}

mgmt(extra) := {"name": "m", "field_selectors": array.concat([testing.fs("eventCategory", {"equals": ["Management"]})], extra)}

test_management_selector_without_read_only_records_read_and_write if {
	selectors.management_rw(testing.trail(testing.advanced([mgmt_all]))) == true
}

test_read_only_restriction_misses_write_events if {
	t := testing.trail(testing.advanced([mgmt([testing.fs("readOnly", {"equals": ["true"]})])]))
	selectors.management_rw(t) == false
	selectors.missing_management(t) == ["write"]
}

test_read_and_write_selectors_together_record_everything if {
	t := testing.trail(testing.advanced([
		mgmt([testing.fs("readOnly", {"equals": ["true"]})]),
		mgmt([testing.fs("readOnly", {"equals": ["false"]})]),
	]))
	selectors.management_rw(t) == true
}

test_event_source_exclusion_is_not_all_management_events if {
	t := testing.trail(testing.advanced([mgmt([testing.fs("eventSource", {"not_equals": ["kms.amazonaws.com"]})])]))
	selectors.management_rw(t) == false
}

test_data_only_advanced_selector_records_no_management_events if {
	t := testing.trail(testing.advanced([{"name": "s3", "field_selectors": [
		testing.fs("eventCategory", {"equals": ["Data"]}),
		testing.fs("resources.type", {"equals": ["AWS::S3::Object"]}),
	]}]))
	selectors.management_rw(t) == false
	selectors.missing_management(t) == ["read", "write"]
}

test_selector_name_is_irrelevant if {
	t := testing.trail(testing.advanced([{"name": "Management events selector", "field_selectors": [testing.fs("eventCategory", {"equals": ["Data"]})]}]))
	selectors.management_rw(t) == false
}

test_unknown_value_in_advanced_selector_is_undetermined if {
	t := testing.trail(testing.advanced([mgmt([testing.fs("readOnly", {"equals": [{"unknown": "var.read_only"}]})])]))
	not selectors.management_rw(t)
	not selectors.management_rw(t) == false
}

test_unknown_marker_is_found_at_every_selector_level if {
	marker := {"unknown": "var.x"}
	selectors.contains_unknown([marker])
	selectors.contains_unknown([{"name": marker, "field_selectors": []}])
	selectors.contains_unknown([{"name": "s", "field_selectors": [marker]}])
	selectors.contains_unknown([{"name": "s", "field_selectors": [{"field": marker, "equals": []}]}])
	selectors.contains_unknown([{"name": "s", "field_selectors": [{"field": "readOnly", "equals": [marker]}]}])
	selectors.contains_unknown([{"read_write_type": "All", "data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3", marker]}]}])
}

test_the_word_unknown_in_a_value_is_not_a_marker if {
	not selectors.contains_unknown([{"name": "unknown", "field_selectors": [{"field": "unknown", "equals": ["unknown"]}]}])
	not selectors.contains_unknown([{"name": "\"unknown\": yes", "field_selectors": []}])
	not selectors.contains_unknown([{"name": "{\"unknown\":1}", "field_selectors": []}])
	not selectors.contains_unknown([])
}

# --- classic selectors -------------------------------------------------------------------

classic(sels) := testing.trail({"event_selectors": testing.known(sels, 15)})

test_default_classic_selector_records_all_management_events if {
	t := testing.trail({"event_selectors": testing.defaulted([testing.all_management])})
	selectors.management_rw(t) == true
}

test_classic_read_only_misses_writes if {
	t := classic([object.union(testing.all_management, {"read_write_type": "ReadOnly"})])
	selectors.management_rw(t) == false
	selectors.missing_management(t) == ["write"]
}

test_classic_read_only_plus_write_only_selectors_record_everything if {
	t := classic([
		object.union(testing.all_management, {"read_write_type": "ReadOnly"}),
		object.union(testing.all_management, {"read_write_type": "WriteOnly"}),
	])
	selectors.management_rw(t) == true
}

test_classic_excluded_source_is_not_all_management_events if {
	t := classic([object.union(testing.all_management, {"exclude_management_event_sources": ["kms.amazonaws.com"]})])
	selectors.management_rw(t) == false
}

test_unknown_selector_field_is_undetermined if {
	t := testing.trail({"event_selectors": testing.unknown("!Ref Selectors", 15)})
	not selectors.management_rw(t)
	not selectors.data_events(t, "AWS::S3::Object", "false")
}

# --- data events ---------------------------------------------------------------------------

test_classic_all_bucket_values if {
	selectors.all_resources_value("AWS::S3::Object", "arn:aws:s3")
	selectors.all_resources_value("AWS::S3::Object", "arn:aws:s3:::")
	selectors.all_resources_value("AWS::S3::Object", "arn:aws-us-gov:s3")
	not selectors.all_resources_value("AWS::S3::Object", "arn:aws:s3:::audit-logs/")
	selectors.all_resources_value("AWS::Lambda::Function", "arn:aws:lambda")
	not selectors.all_resources_value("AWS::Lambda::Function", "arn:aws:lambda:us-east-1:111122223333:function:f")
}

test_classic_write_only_s3_selector_records_writes_not_reads if {
	t := classic([{
		"read_write_type": "WriteOnly",
		"include_management_events": true,
		"data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3:::"]}],
		"exclude_management_event_sources": [],
	}])
	selectors.data_events(t, "AWS::S3::Object", "false") == true
	selectors.data_events(t, "AWS::S3::Object", "true") == false
}

s3_data(extra) := {"name": "s3", "field_selectors": array.concat(
	[
		testing.fs("eventCategory", {"equals": ["Data"]}),
		testing.fs("resources.type", {"equals": ["AWS::S3::Object"]}),
	],
	extra,
)}

test_advanced_s3_selector_excluding_the_log_bucket_records_all_objects if {
	t := testing.trail(testing.advanced([s3_data([testing.fs("resources.ARN", {"not_starts_with": ["arn:aws:s3:::audit-logs/"]})])]))
	selectors.data_events(t, "AWS::S3::Object", "false") == true
	selectors.data_events(t, "AWS::S3::Object", "true") == true
	selectors.data_events(t, "AWS::Lambda::Function", "false") == false
}

test_advanced_s3_selector_for_one_bucket_is_not_all_objects if {
	t := testing.trail(testing.advanced([s3_data([testing.fs("resources.ARN", {"starts_with": ["arn:aws:s3:::payroll/"]})])]))
	selectors.data_events(t, "AWS::S3::Object", "false") == false
}

test_advanced_s3_read_only_false_records_writes_only if {
	t := testing.trail(testing.advanced([s3_data([testing.fs("readOnly", {"equals": ["false"]})])]))
	selectors.data_events(t, "AWS::S3::Object", "false") == true
	selectors.data_events(t, "AWS::S3::Object", "true") == false
}

test_advanced_starts_with_resource_type_prefix if {
	t := testing.trail(testing.advanced([{"name": "all data", "field_selectors": [
		testing.fs("eventCategory", {"equals": ["Data"]}),
		testing.fs("resources.type", {"starts_with": ["AWS::"]}),
	]}]))
	selectors.data_events(t, "AWS::S3::Object", "true") == true
	selectors.data_events(t, "AWS::Lambda::Function", "false") == true
}
