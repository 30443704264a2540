package trailguard.config.lambda_data_events_not_recorded_test

import rego.v1

import data.trailguard.config.lambda_data_events_not_recorded as rule
import data.trailguard.lib.testing

s3_only := object.union(testing.all_management, {"data_resources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]})

test_trail_without_lambda_resources_fires if {
	r := rule.deny with input as testing.doc([testing.trail({"event_selectors": testing.known([s3_only], 15)})])
	r == {{
		"msg": "Trail 'main' does not record Lambda invocations (data events) for all functions (no EventSelectors entry with ReadWriteType All or WriteOnly has a DataResources entry of type AWS::Lambda::Function for all resources)",
		"resource": "Trail",
		"loc": testing.loc(15),
		"evidence": {"data_resource_type": "AWS::Lambda::Function", "read_only": "false", "selectors": [s3_only]},
	}}
}

test_one_function_is_not_all_functions if {
	one := object.union(testing.all_management, {"data_resources": [{
		"type": "AWS::Lambda::Function",
		"values": ["arn:aws:lambda:us-east-1:111122223333:function:payments"],
	}]})
	count(rule.deny) == 1 with input as testing.doc([testing.trail({"event_selectors": testing.known([one], 15)})])
}

test_compliant_trail_passes if {
	count(rule.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_advanced_lambda_selector_passes if {
	sels := [
		{"name": "mgmt", "field_selectors": [testing.fs("eventCategory", {"equals": ["Management"]})]},
		{"name": "lambda", "field_selectors": [
			testing.fs("eventCategory", {"equals": ["Data"]}),
			testing.fs("resources.type", {"equals": ["AWS::Lambda::Function"]}),
		]},
	]
	count(rule.deny) == 0 with input as testing.doc_in("terraform-hcl", [testing.trail(testing.advanced(sels))])
}

test_advanced_selector_for_one_function_fires if {
	sels := [{"name": "lambda", "field_selectors": [
		testing.fs("eventCategory", {"equals": ["Data"]}),
		testing.fs("resources.type", {"equals": ["AWS::Lambda::Function"]}),
		testing.fs("resources.ARN", {"equals": ["arn:aws:lambda:us-east-1:111122223333:function:payments"]}),
	]}]
	count(rule.deny) == 1 with input as testing.doc_in("terraform-hcl", [testing.trail(testing.advanced(sels))])
}

test_unknown_advanced_selectors_never_fire if {
	t := testing.trail({"event_selectors": testing.absent, "advanced_event_selectors": testing.unknown("var.selectors", 15)})
	count(rule.deny) == 0 with input as testing.doc_in("terraform-plan", [t])
}

test_shadow_trail_never_fires if {
	t := testing.trail({"is_shadow": true, "event_selectors": testing.known([s3_only], 15)})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
