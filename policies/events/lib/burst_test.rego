package trailguard.events.lib.burst_test

import rego.v1

import data.trailguard.events.lib.burst

test_principal_names_the_group_or_says_it_has_none if {
	burst.principal({"group": {"principal": "arn:aws:iam::111122223333:user/a"}}) == "principal arn:aws:iam::111122223333:user/a"
	burst.principal({"group": {"principal": null}}) == "an unidentified principal"
	burst.principal({"group": {}}) == "an unidentified principal"
}

test_outside_compares_with_the_rest_of_the_scan if {
	burst.outside({"outside": {"count": 12, "windows": 503}}) == " (12 in the scan's 503 other windows)"
	burst.outside({"outside": {"count": 0, "windows": 6}}) == " (none in the scan's 6 other windows)"
	burst.outside({"outside": {"count": 0, "windows": 0}}) == ""
	burst.outside({}) == ""
}
