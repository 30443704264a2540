package trailguard.config.insights_not_enabled_test

import rego.v1

import data.trailguard.config.insights_not_enabled as rule
import data.trailguard.lib.testing

test_missing_insight_selectors_fire_at_the_header if {
	r := rule.deny with input as testing.doc([testing.trail({"insight_selectors": testing.defaulted([])})])
	r == {{
		"msg": "Trail 'main' has no CloudTrail Insights (InsightSelectors is not set)",
		"resource": "Trail",
		"loc": testing.header,
		"evidence": {"state": "absent", "value": [], "defaulted": true},
	}}
}

test_empty_list_fires_at_the_attribute if {
	r := rule.deny with input as testing.doc_in("terraform-plan", [testing.trail({"insight_selectors": testing.known([], 20)})])
	some f in r
	f.msg == "Trail 'main' has no CloudTrail Insights (insight_selector is empty)"
	f.loc == testing.loc(20)
}

test_one_insight_type_passes if {
	t := testing.trail({"insight_selectors": testing.known(["ApiErrorRateInsight"], 20)})
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_other_trail_with_insights_silences if {
	t := testing.trail({"insight_selectors": testing.defaulted([])})
	count(rule.deny) == 0 with input as testing.doc([t, testing.other_trail({})])
}

test_unknown_never_fires if {
	t := testing.trail({"insight_selectors": testing.unknown("var.insights", 20)})
	count(rule.deny) == 0 with input as testing.doc_in("terraform-plan", [t])
	u := testing.trail({"insight_selectors": testing.known([{"unknown": "!Ref InsightType"}], 20)})
	count(rule.deny) == 0 with input as testing.doc([u])
}

test_shadow_trail_never_fires if {
	t := testing.trail({"is_shadow": true, "insight_selectors": testing.defaulted([])})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
