package trailguard.config.trail_uses_aws_managed_key_test

import rego.v1

import data.trailguard.config.trail_uses_aws_managed_key as rule
import data.trailguard.lib.testing

aws_key := testing.trail({
	"kms_key_id": testing.known("alias/aws/cloudtrail", 10),
	"kms_key": {"managed_by": "aws", "rotation_enabled": testing.absent},
})

test_aws_managed_alias_fires_at_the_attribute if {
	r := rule.deny with input as testing.doc([aws_key])
	r == {{
		"msg": "Trail 'main' encrypts log files with an AWS managed key (KMSKeyId is \"alias/aws/cloudtrail\"), not a customer managed key",
		"resource": "Trail",
		"loc": testing.loc(10),
		"evidence": {"state": "known", "value": "alias/aws/cloudtrail", "managed_by": "aws"},
	}}
}

test_customer_key_passes if {
	count(rule.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_unknown_key_never_fires if {
	t := testing.trail({"kms_key_id": testing.unknown("!ImportValue Key", 10), "kms_key": {"managed_by": "unknown"}})
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_no_key_is_left_to_the_cmk_rule if {
	t := object.remove(testing.trail({"kms_key_id": testing.absent}), ["kms_key"])
	count(rule.deny) == 0 with input as testing.doc([t])
}

test_shadow_trail_never_fires if {
	t := object.union(aws_key, {"is_shadow": true})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
