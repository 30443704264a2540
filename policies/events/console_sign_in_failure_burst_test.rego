package trailguard.events.console_sign_in_failure_burst_test

import rego.v1

import data.trailguard.events.console_sign_in_failure_burst as rule

params := {"console_sign_in_failure_burst": 5}

group := {
	"window": {"start": "2024-08-01T10:00:00Z", "end": "2024-08-01T10:10:00Z", "seconds": 600},
	"group": {"source_ip": "198.51.100.23"},
	"count": 5,
	"rules": {"TGE006": 5},
	"first_seen": "2024-08-01T10:00:24Z",
	"last_seen": "2024-08-01T10:02:10Z",
	"first_event_id": "e1",
}

test_threshold_reached_fires if {
	findings := rule.deny with input as group with data.trailguard.params as params
	findings == {{"msg": "5 console sign-ins failed from 198.51.100.23 between 2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z"}}
}

test_below_threshold_is_quiet if {
	count(rule.deny) == 0 with input as object.union(group, {"count": 4}) with data.trailguard.params as params
}

test_records_without_an_address_are_named_so if {
	some f in rule.deny with input as object.union(group, {"group": {"source_ip": null}}) with data.trailguard.params as params
	contains(f.msg, "failed from an unknown address")
}
