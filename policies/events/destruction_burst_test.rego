package trailguard.events.destruction_burst_test

import rego.v1

import data.trailguard.events.destruction_burst as rule

params := {"destruction_burst": 5}

group := {
	"window": {"start": "2024-08-01T10:00:00Z", "end": "2024-08-01T10:10:00Z", "seconds": 600},
	"group": {"principal": "arn:aws:iam::111122223333:user/mallory"},
	"count": 5,
	"rules": {"TGE031": 3, "TGE032": 2},
	"first_seen": "2024-08-01T10:01:00Z",
	"last_seen": "2024-08-01T10:04:00Z",
	"first_event_id": "e1",
}

test_threshold_reached_fires_and_says_what_was_destroyed if {
	findings := rule.deny with input as group with data.trailguard.params as params
	findings == {{"msg": "principal arn:aws:iam::111122223333:user/mallory destroyed data 5 times between 2024-08-01T10:00:00Z and 2024-08-01T10:10:00Z: 2 DynamoDB tables deleted, 3 buckets deleted"}}
}

test_below_threshold_is_quiet if {
	count(rule.deny) == 0 with input as object.union(group, {"count": 4}) with data.trailguard.params as params
}

test_a_rule_without_a_label_is_named_by_its_id if {
	rec := object.union(object.remove(group, ["rules"]), {"rules": {"TGE099": 5}})
	some f in rule.deny with input as rec with data.trailguard.params as params
	endswith(f.msg, ": 5 TGE099")
}
