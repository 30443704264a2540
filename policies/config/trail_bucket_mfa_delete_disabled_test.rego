package trailguard.config.trail_bucket_mfa_delete_disabled_test

import rego.v1

import data.trailguard.config.trail_bucket_mfa_delete_disabled as rule
import data.trailguard.lib.testing

scan(format, b) := r if {
	r := rule.deny with input as testing.doc_with_bucket(format, testing.trail({}), b)
}

test_mfa_delete_disabled_fires_at_the_versioning if {
	b := testing.bucket({"versioning": testing.known({"status": "Enabled", "mfa_delete": "Disabled"}, 36)})
	r := scan("terraform-hcl", b)
	r == {{
		"msg": "S3 bucket 'audit-logs' (log bucket of trail 'main') does not require MFA to delete object versions (mfa_delete is \"Disabled\")",
		"resource": "LogBucket",
		"loc": testing.loc(36),
		"evidence": {"state": "known", "value": {"status": "Enabled", "mfa_delete": "Disabled"}},
	}}
}

test_live_versioning_without_mfa_key_fires if {
	r := scan("live-export", testing.bucket({"versioning": testing.known({"status": "Enabled"}, 36)}))
	some f in r
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') does not require MFA to delete object versions (MFADelete is \"Disabled\")"
}

test_no_versioning_fires_at_the_bucket if {
	r := scan("terraform-plan", testing.bucket({"versioning": testing.absent}))
	some f in r
	count(r) == 1
	f.loc == testing.header
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') does not require MFA to delete object versions (aws_s3_bucket_versioning is not set, so neither versioning nor MFA delete is on)"
}

test_mfa_delete_enabled_passes if {
	count(scan("live-export", testing.bucket({}))) == 0
}

test_cloudformation_is_not_judged if {
	count(scan("cloudformation", testing.bucket({"versioning": testing.absent}))) == 0
}

test_unknown_never_fires if {
	count(scan("terraform-plan", testing.bucket({"versioning": testing.unknown("var.versioning", 36)}))) == 0
	b := testing.bucket({"versioning": testing.known({"status": "Enabled", "mfa_delete": {"unknown": "var.mfa"}}, 36)})
	count(scan("terraform-plan", b)) == 0
}

test_shadow_trail_bucket_never_fires if {
	t := object.union(testing.trail({"is_shadow": true}), {"bucket": testing.bucket({"versioning": testing.absent})})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
