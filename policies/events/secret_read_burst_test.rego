package trailguard.events.secret_read_burst_test

import rego.v1

import data.trailguard.events.secret_read_burst as rule

params := {"secret_read_burst": 50}

group := {
	"window": {"start": "2024-08-01T10:00:00Z", "end": "2024-08-01T10:10:00Z", "seconds": 600},
	"group": {"principal": "arn:aws:sts::111122223333:assumed-role/dev/laptop"},
	"count": 50,
	"rules": {"TGE040": 50},
	"first_seen": "2024-08-01T10:00:01Z",
	"last_seen": "2024-08-01T10:00:59Z",
	"first_event_id": "e1",
}

test_threshold_reached_fires if {
	findings := rule.deny with input as group with data.trailguard.params as params
	findings == {{"msg": "principal arn:aws:sts::111122223333:assumed-role/dev/laptop read secrets 50 times between 2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z"}}
}

test_below_threshold_is_quiet if {
	count(rule.deny) == 0 with input as object.union(group, {"count": 49}) with data.trailguard.params as params
}
