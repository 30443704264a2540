package trailguard.events.authorization_failure_burst_test

import rego.v1

import data.trailguard.events.authorization_failure_burst as rule

params := {"authorization_failure_burst": 20}

group := {
	"window": {"start": "2024-08-01T10:00:00Z", "end": "2024-08-01T10:10:00Z", "seconds": 600},
	"group": {"principal": "arn:aws:iam::111122223333:user/ci-deployer"},
	"count": 20,
	"rules": {"TGE001": 20},
	"first_seen": "2024-08-01T10:01:02Z",
	"last_seen": "2024-08-01T10:04:40Z",
	"first_event_id": "e1",
}

test_threshold_reached_fires if {
	findings := rule.deny with input as group with data.trailguard.params as params
	findings == {{"msg": "principal arn:aws:iam::111122223333:user/ci-deployer was denied 20 times between 2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z"}}
}

test_below_threshold_is_quiet if {
	count(rule.deny) == 0 with input as object.union(group, {"count": 19}) with data.trailguard.params as params
}

test_threshold_is_a_parameter if {
	count(rule.deny) == 1 with input as object.union(group, {"count": 3}) with data.trailguard.params as {"authorization_failure_burst": 3}
}

test_records_without_a_principal_are_named_so if {
	some f in rule.deny with input as object.union(group, {"group": {"principal": null}}) with data.trailguard.params as params
	startswith(f.msg, "an unidentified principal was denied 20 times")
}
