# The S3 buckets that receive an audited trail's log files, and what makes one public.
#
# Only buckets resolved within the same document are judged (`Trail.bucket`); a trail whose
# bucket is a plain name of a bucket defined elsewhere has no bucket here.
package trailguard.lib.buckets

import rego.v1

import data.trailguard.lib.attrs
import data.trailguard.lib.fields
import data.trailguard.lib.trails

# Resolved buckets of trails owned by the audited account, each bucket once. Deduplicated by id
# rather than collected into a set: a set of bucket objects compares whole objects (policy
# documents included) on every insertion, a measurable cost per document.
trail_buckets := [b |
	some id in {t.bucket.id | some t in trails.owned}
	b := [t.bucket | some t in trails.owned; t.bucket.id == id][0]
]

name_of(b) := b.name.value if {
	is_string(b.name.value)
	b.name.value != ""
} else := b.id

# "S3 bucket 'audit-logs' (log bucket of trail 'main')"
label(b) := sprintf("S3 bucket '%s' (log bucket of %s)", [name_of(b), trail_list(b)])

trail_list(b) := text if {
	names := trail_names[b.id]
	quoted := [sprintf("'%s'", [name]) | some name in names]
	text := sprintf("%s %s", [plural(count(names)), concat(", ", quoted)])
}

# Bucket id -> sorted names of the owned trails delivering to it. A package-level rule rather
# than a comprehension inside trail_list: regorus 0.14.1 returned an empty set for
# `some t in trails.owned` evaluated inside a function while iterating `trail_buckets`.
trail_names[bucket_id] := names if {
	some b in trail_buckets
	bucket_id := b.id
	names := sort({n |
		some owner in trails.owned
		owner.bucket.id == bucket_id
		n := fields.name_of(owner)
	})
}

plural(1) := "trail"

plural(n) := "trails" if n != 1

# Canned ACLs that grant access to everyone or to every AWS account. CloudFormation spells them
# `PublicRead`, S3 and Terraform `public-read`: compare without case and dashes.
public_canned_acls := {"publicread", "publicreadwrite", "authenticatedread"}

public_acl(acl) if {
	is_string(acl)
	lower(replace(acl, "-", "")) in public_canned_acls
}

public_grantees := {"AllUsers", "AuthenticatedUsers"}

public_grants(b) := sort({sprintf("%s to %s", [g.permission, g.grantee]) |
	some g in b.grants.value
	g.grantee in public_grantees
})

public_access_block_settings := ["block_public_acls", "ignore_public_acls", "block_public_policy", "restrict_public_buckets"]

# Settings of a known public access block that are off (a missing key is off, as in AWS).
disabled_blocks(b) := [attrs.public_access_block_key(k) |
	some k in public_access_block_settings
	object.get(b.public_access_block.value, k, false) == false
]

# Condition keys that tie an Allow to specific callers or networks.
restricting_condition_keys := {
	"aws:sourcearn",
	"aws:sourceaccount",
	"aws:sourceowner",
	"aws:sourceorgid",
	"aws:sourceorgpaths",
	"aws:principalarn",
	"aws:principalaccount",
	"aws:principalorgid",
	"aws:principalorgpaths",
	"aws:userid",
	"aws:username",
	"aws:sourcevpc",
	"aws:sourcevpce",
	"aws:sourceip",
}

public_principal(p) if p == "*"

public_principal(p) if p.AWS == "*"

public_principal(p) if {
	is_array(p.AWS)
	"*" in p.AWS
}

restricted(st) if {
	some _, keys in st.Condition
	some k, _ in keys
	lower(k) in restricting_condition_keys
}

# Statements that allow anyone, with no condition that narrows the callers.
public_statements(b) := [st |
	some st in b.policy.value.Statement
	st.Effect == "Allow"
	public_principal(st.Principal)
	not restricted(st)
]

statement_label(st) := sprintf("statement '%s'", [st.Sid]) if is_string(st.Sid)

statement_label(st) := "a statement" if not is_string(st.Sid)

# Why the bucket is (or may be made) public: [{"reason", "text", "loc"}], most direct first.
public_reasons(b) := array.concat(
	array.concat(acl_reasons(b), grant_reasons(b)),
	array.concat(policy_reasons(b), block_reasons(b)),
)

# Live exports derive the canned ACL from the grants: report the grants only.
acl_reasons(b) := [r |
	public_acl(b.acl.value)
	not derived_from_public_grants(b)
	r := {"reason": "acl", "text": sprintf("%s is %s", [attrs.bucket("acl"), fields.show(b.acl.value)]), "loc": b.acl.loc}
]

derived_from_public_grants(b) if {
	input.format == "live-export"
	count(public_grants(b)) > 0
}

grant_reasons(b) := [r |
	grants := public_grants(b)
	count(grants) > 0
	r := {"reason": "grants", "text": sprintf("%s grant %s", [attrs.bucket("grants"), concat(", ", grants)]), "loc": b.grants.loc}
]

policy_reasons(b) := [r |
	sts := public_statements(b)
	count(sts) > 0
	labels := [statement_label(st) | some st in sts]
	r := {
		"reason": "policy",
		"text": sprintf("the bucket policy allows Principal \"*\" without a condition on the caller (%s)", [concat(", ", labels)]),
		"loc": b.policy.loc,
	}
]

block_reasons(b) := [{
		"reason": "public_access_block",
		"text": sprintf("it has no public access block (%s is not set)", [attrs.bucket("public_access_block")]),
		"loc": b.public_access_block.loc,
	}] if fields.missing(b.public_access_block)

block_reasons(b) := [] if b.public_access_block.state == "unknown"

block_reasons(b) := [r |
	off := disabled_blocks(b)
	count(off) > 0
	r := {
		"reason": "public_access_block",
		"text": sprintf("%s leaves %s off", [attrs.bucket("public_access_block"), concat(", ", off)]),
		"loc": b.public_access_block.loc,
	}
] if b.public_access_block.state == "known"
