package trailguard.config.trail_bucket_access_logging_disabled_test

import rego.v1

import data.trailguard.config.trail_bucket_access_logging_disabled as rule
import data.trailguard.lib.testing

scan(format, b) := r if {
	r := rule.deny with input as testing.doc_with_bucket(format, testing.trail({}), b)
}

test_missing_logging_fires_at_the_bucket if {
	r := scan("cloudformation", testing.bucket({"logging": testing.absent}))
	r == {{
		"msg": "S3 bucket 'audit-logs' (log bucket of trail 'main') has no server access logging (LoggingConfiguration is not set)",
		"resource": "LogBucket",
		"loc": testing.header,
		"evidence": {"state": "absent"},
	}}
}

test_terraform_names_the_logging_resource if {
	r := scan("terraform-plan", testing.bucket({"logging": testing.absent}))
	some f in r
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') has no server access logging (aws_s3_bucket_logging is not set)"
}

test_logging_configured_passes if {
	count(scan("cloudformation", testing.bucket({}))) == 0
}

test_empty_target_fires if {
	r := scan("live-export", testing.bucket({"logging": testing.known({"target_bucket": "", "target_prefix": ""}, 35)}))
	some f in r
	f.loc == testing.loc(35)
}

test_unknown_never_fires if {
	count(scan("terraform-plan", testing.bucket({"logging": testing.unknown("module.logs.config", 35)}))) == 0
}

test_unknown_target_never_fires if {
	b := testing.bucket({"logging": testing.known({"target_bucket": {"unknown": "aws_s3_bucket.logs.id"}, "target_prefix": ""}, 35)})
	count(scan("terraform-plan", b)) == 0
}

test_unresolved_bucket_is_not_judged if {
	b := testing.bucket({"logging": testing.absent})
	count(rule.deny) == 0 with input as object.union(testing.doc([testing.trail({})]), {"buckets": [b]})
}

test_shadow_trail_bucket_never_fires if {
	t := object.union(testing.trail({"is_shadow": true}), {"bucket": testing.bucket({"logging": testing.absent})})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}
