package trailguard.config.trail_bucket_public_test

import rego.v1

import data.trailguard.config.trail_bucket_public as rule
import data.trailguard.lib.testing

scan(format, b) := r if {
	r := rule.deny with input as testing.doc_with_bucket(format, testing.trail({}), b)
}

test_compliant_bucket_passes if {
	count(scan("cloudformation", testing.bucket({}))) == 0
}

test_public_read_cloudformation_acl_fires_at_the_acl if {
	r := scan("cloudformation", testing.bucket({"acl": testing.known("PublicRead", 32)}))
	r == {{
		"msg": "S3 bucket 'audit-logs' (log bucket of trail 'main') is public: AccessControl is \"PublicRead\"",
		"resource": "LogBucket",
		"loc": testing.loc(32),
		"evidence": {"reasons": [{"reason": "acl", "text": "AccessControl is \"PublicRead\""}]},
	}}
}

test_terraform_public_read_write_acl_fires if {
	r := scan("terraform-hcl", testing.bucket({"acl": testing.known("public-read-write", 32)}))
	some f in r
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') is public: acl is \"public-read-write\""
}

test_log_delivery_write_acl_is_not_public if {
	count(scan("terraform-hcl", testing.bucket({"acl": testing.known("log-delivery-write", 32)}))) == 0
}

test_grant_to_all_users_fires if {
	grants := [
		{"grantee": "111122223333abcd", "permission": "FULL_CONTROL"},
		{"grantee": "AllUsers", "permission": "READ"},
	]
	r := scan("live-export", testing.bucket({"grants": testing.known(grants, 37)}))
	some f in r
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') is public: Grants grant READ to AllUsers"
	f.loc == testing.loc(37)
}

test_missing_public_access_block_fires_at_the_bucket if {
	r := scan("cloudformation", testing.bucket({"public_access_block": testing.absent}))
	some f in r
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') is not protected from public access: it has no public access block (PublicAccessBlockConfiguration is not set)"
	f.loc == testing.header
}

test_partial_public_access_block_names_the_settings_that_are_off if {
	pab := {"block_public_acls": true, "ignore_public_acls": false, "block_public_policy": true}
	r := scan("terraform-plan", testing.bucket({"public_access_block": testing.known(pab, 33)}))
	some f in r
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') is not protected from public access: aws_s3_bucket_public_access_block leaves ignore_public_acls, restrict_public_buckets off"
	f.loc == testing.loc(33)
}

public_statement := {"Sid": "Open", "Effect": "Allow", "Principal": {"AWS": "*"}, "Action": "s3:GetObject", "Resource": "arn:aws:s3:::audit-logs/*"}

test_policy_allowing_everyone_fires if {
	r := scan("cloudformation", testing.bucket({"policy": testing.known({"Statement": [public_statement]}, 34)}))
	some f in r
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') is public: the bucket policy allows Principal \"*\" without a condition on the caller (statement 'Open')"
	f.loc == testing.loc(34)
}

test_wildcard_principal_limited_to_the_organization_passes if {
	st := object.union(public_statement, {"Condition": {"StringEquals": {"aws:PrincipalOrgID": "o-abc123"}}})
	count(scan("cloudformation", testing.bucket({"policy": testing.known({"Statement": [st]}, 34)}))) == 0
}

test_tls_condition_does_not_make_a_public_statement_private if {
	st := object.union(public_statement, {"Principal": "*", "Condition": {"Bool": {"aws:SecureTransport": "true"}}})
	r := scan("cloudformation", testing.bucket({"policy": testing.known({"Statement": [st]}, 34)}))
	count(r) == 1
}

test_deny_statement_with_wildcard_principal_passes if {
	st := object.union(public_statement, {"Effect": "Deny"})
	count(scan("cloudformation", testing.bucket({"policy": testing.known({"Statement": [st]}, 34)}))) == 0
}

test_several_reasons_make_one_finding_at_the_most_direct_one if {
	b := testing.bucket({"acl": testing.known("PublicRead", 32), "public_access_block": testing.absent})
	r := scan("cloudformation", b)
	count(r) == 1
	some f in r
	f.loc == testing.loc(32)
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') is public: AccessControl is \"PublicRead\"; it has no public access block (PublicAccessBlockConfiguration is not set)"
}

test_unknown_values_never_fire if {
	b := testing.bucket({
		"acl": testing.unknown("var.acl", 32),
		"public_access_block": testing.unknown("module.pab.config", 33),
		"policy": testing.unknown("data.aws_iam_policy_document.logs.json", 34),
	})
	count(scan("terraform-plan", b)) == 0
}

test_bucket_shared_by_two_trails_is_reported_once if {
	b := testing.bucket({"acl": testing.known("PublicRead", 32)})
	d := object.union(testing.doc([
		object.union(testing.trail({}), {"bucket": b}),
		object.union(testing.other_trail({}), {"bucket": b}),
	]), {"buckets": [b]})
	r := rule.deny with input as d
	count(r) == 1
	some f in r
	startswith(f.msg, "S3 bucket 'audit-logs' (log bucket of trails 'main', 'other') is public")
}

test_unresolved_bucket_is_not_judged if {
	b := testing.bucket({"acl": testing.known("PublicRead", 32)})
	d := object.union(testing.doc([testing.trail({})]), {"buckets": [b]})
	count(rule.deny) == 0 with input as d
}

test_shadow_trail_bucket_never_fires if {
	b := testing.bucket({"acl": testing.known("PublicRead", 32)})
	t := object.union(testing.trail({"is_shadow": true}), {"bucket": b})
	count(rule.deny) == 0 with input as testing.doc_in("live-export", [t])
}

test_live_acl_derived_from_public_grants_is_reported_once if {
	b := testing.bucket({
		"acl": testing.known("public-read", 32),
		"grants": testing.known([{"grantee": "AllUsers", "permission": "READ"}], 37),
	})
	r := scan("live-export", b)
	some f in r
	f.msg == "S3 bucket 'audit-logs' (log bucket of trail 'main') is public: Grants grant READ to AllUsers"
	f.loc == testing.loc(37)
}
