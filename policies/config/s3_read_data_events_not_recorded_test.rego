package trailguard.config.s3_read_data_events_not_recorded_test

import rego.v1

import data.trailguard.config.s3_read_data_events_not_recorded as rule
import data.trailguard.lib.testing

classic(resources, rw) := testing.trail({"event_selectors": testing.known(
	[object.union(testing.all_management, {"read_write_type": rw, "data_resources": resources})],
	15,
)})

s3_all := [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]

test_write_only_selector_fires if {
	r := rule.deny with input as testing.doc([classic(s3_all, "WriteOnly")])
	r == {{
		"msg": "Trail 'main' does not record S3 object-level read events for all buckets (no EventSelectors entry with ReadWriteType All or ReadOnly has a DataResources entry of type AWS::S3::Object for all resources)",
		"resource": "Trail",
		"loc": testing.loc(15),
		"evidence": {
			"data_resource_type": "AWS::S3::Object",
			"read_only": "true",
			"selectors": [object.union(testing.all_management, {"read_write_type": "WriteOnly", "data_resources": s3_all})],
		},
	}}
}

test_read_only_selector_passes if {
	count(rule.deny) == 0 with input as testing.doc([classic(s3_all, "ReadOnly")])
}

test_compliant_trail_passes if {
	count(rule.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_advanced_write_only_selector_fires if {
	sel := {"name": "s3 writes", "field_selectors": [
		testing.fs("eventCategory", {"equals": ["Data"]}),
		testing.fs("resources.type", {"equals": ["AWS::S3::Object"]}),
		testing.fs("readOnly", {"equals": ["false"]}),
	]}
	r := rule.deny with input as testing.doc_in("terraform-plan", [testing.trail(testing.advanced([sel]))])
	some f in r
	f.msg == "Trail 'main' does not record S3 object-level read events for all buckets (no advanced_event_selector entry selects eventCategory Data and resources.type AWS::S3::Object for reads without narrowing the resources)"
}

test_unknown_selectors_never_fire if {
	t := testing.trail({"event_selectors": testing.unknown("var.selectors", 15)})
	count(rule.deny) == 0 with input as testing.doc_in("terraform-plan", [t])
}

test_shadow_trail_never_fires if {
	t := object.union(classic(s3_all, "WriteOnly"), {"is_shadow": true})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
