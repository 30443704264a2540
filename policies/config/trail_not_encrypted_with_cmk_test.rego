package trailguard.config.trail_not_encrypted_with_cmk_test

import rego.v1

import data.trailguard.config.trail_not_encrypted_with_cmk as rule
import data.trailguard.lib.testing

no_key := object.remove(testing.trail({"kms_key_id": testing.absent}), ["kms_key"])

test_missing_key_fires_at_the_header if {
	r := rule.deny with input as testing.doc([no_key])
	r == {{
		"msg": "Trail 'main' log files are not encrypted with a KMS key (KMSKeyId is not set), so they use S3-managed keys",
		"resource": "Trail",
		"loc": testing.header,
		"evidence": {"state": "absent"},
	}}
}

test_empty_terraform_key_fires_at_the_attribute if {
	t := testing.trail({"kms_key_id": testing.known("", 10)})
	r := rule.deny with input as testing.doc_in("terraform-hcl", [t])
	some f in r
	f.msg == "Trail 'main' log files are not encrypted with a KMS key (kms_key_id is \"\"), so they use S3-managed keys"
	f.loc == testing.loc(10)
}

test_live_key_name if {
	r := rule.deny with input as testing.doc_in("live-export", [no_key])
	some f in r
	f.msg == "Trail 'main' log files are not encrypted with a KMS key (KmsKeyId is not set), so they use S3-managed keys"
}

test_key_set_passes if {
	count(rule.deny) == 0 with input as testing.doc([testing.trail({})])
}

test_unknown_key_never_fires if {
	t := testing.trail({"kms_key_id": testing.unknown("aws_kms_key.trail.arn", 10), "kms_key": {"managed_by": "unknown"}})
	count(rule.deny) == 0 with input as testing.doc_in("terraform-plan", [t])
}

test_shadow_trail_never_fires if {
	t := object.union(no_key, {"is_shadow": true})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
