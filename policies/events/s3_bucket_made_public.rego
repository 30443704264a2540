# METADATA
# title: S3 bucket made public
# description: >-
#   A change opened a bucket to everyone: an ACL granting AllUsers or AuthenticatedUsers (a grant
#   in the request body, a canned public-read/public-read-write/authenticated-read ACL, or an
#   x-amz-grant header), a bucket policy with an Allow statement for Principal "*" that has no
#   condition restricting who can use it (source VPC/VPC endpoint/IP, principal account,
#   organization or ARN, source account or ARN), or a bucket or account public access block
#   deleted or set with any of its four settings false. Failed attempts count unless
#   `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
# custom:
#   id: TGE034
#   name: s3-bucket-made-public
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Restore the public access block (`aws s3api put-public-access-block` with all four
#       settings true, and the account-level block), remove public grants and policy statements,
#       then check the bucket's access logs or S3 data events for reads from unknown principals
#       while it was open.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["2.1.4"]
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(a)(1)", "164.312(b)"]
#     nist-800-53-r5: ["AC-3", "AC-22"]
#     mitre-attack: ["T1530"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [s3.amazonaws.com, s3-control.amazonaws.com]
#     eventName: [PutBucketAcl, PutBucketPolicy, PutBucketPublicAccessBlock, DeleteBucketPublicAccessBlock, PutAccountPublicAccessBlock, DeleteAccountPublicAccessBlock]
package trailguard.events.s3_bucket_made_public

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.eventName in {
		"PutBucketAcl", "PutBucketPolicy", "PutBucketPublicAccessBlock", "DeleteBucketPublicAccessBlock",
		"PutAccountPublicAccessBlock", "DeleteAccountPublicAccessBlock",
	}
	input.eventSource in {"s3.amazonaws.com", "s3-control.amazonaws.com"}
	count(reasons) > 0
	actor.counted(input)
	target := scope
	resource := resource_of(target)
	msg := sprintf("%s made %s public: %s%s%s", [actor.who(input), target, concat("; ", sort(reasons)), actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "target": target, "reasons": sort(reasons)}
}

scope := sprintf("bucket '%s'", [input.requestParameters.bucketName]) if {
	input.requestParameters.bucketName
} else := sprintf("account %s", [actor.account(input)])

resource_of(target) := sprintf("arn:aws:s3:::%s", [input.requestParameters.bucketName]) if {
	input.requestParameters.bucketName
} else := target

public_groups := {"http://acs.amazonaws.com/groups/global/AllUsers", "http://acs.amazonaws.com/groups/global/AuthenticatedUsers"}

reasons contains sprintf("ACL grants %s to %s", [grant.Permission, group_name(grant.Grantee.URI)]) if {
	input.eventName == "PutBucketAcl"
	some grant in actor.as_list(input.requestParameters.AccessControlPolicy.AccessControlList.Grant)
	grant.Grantee.URI in public_groups
}

reasons contains sprintf("canned ACL %s", [acl]) if {
	input.eventName == "PutBucketAcl"
	some acl in actor.as_list(input.requestParameters["x-amz-acl"])
	acl in {"public-read", "public-read-write", "authenticated-read"}
}

reasons contains sprintf("%s header grants %s", [header, group_name(uri)]) if {
	input.eventName == "PutBucketAcl"
	some header in ["x-amz-grant-read", "x-amz-grant-write", "x-amz-grant-read-acp", "x-amz-grant-write-acp", "x-amz-grant-full-control"]
	some value in actor.as_list(input.requestParameters[header])
	some uri in public_groups
	contains(value, uri)
}

reasons contains sprintf("policy statement %s allows everyone", [object.get(st, "Sid", "(no Sid)")]) if {
	input.eventName == "PutBucketPolicy"
	some st in actor.statements(actor.policy_doc(input.requestParameters.bucketPolicy))
	st.Effect == "Allow"
	"*" in actor.principal_values(st.Principal, "AWS")
	not restricted(st)
}

reasons contains "public access block deleted" if {
	input.eventName in {"DeleteBucketPublicAccessBlock", "DeleteAccountPublicAccessBlock"}
}

reasons contains sprintf("public access block %s set to false", [setting]) if {
	input.eventName in {"PutBucketPublicAccessBlock", "PutAccountPublicAccessBlock"}
	some setting in ["BlockPublicAcls", "IgnorePublicAcls", "BlockPublicPolicy", "RestrictPublicBuckets"]
	value := input.requestParameters.PublicAccessBlockConfiguration[setting]
	value in {false, "false"}
}

# Condition keys that limit an Allow for "*" to known networks or principals (those S3 itself
# treats as non-public).
restricted(st) if {
	some _, conditions in st.Condition
	some key, _ in conditions
	lower(key) in {
		"aws:sourcevpc", "aws:sourcevpce", "aws:sourceip", "aws:principalaccount", "aws:principalorgid",
		"aws:principalarn", "aws:sourceaccount", "aws:sourcearn", "aws:sourceowner", "aws:userid",
		"aws:principalorgpaths", "s3:dataaccesspointaccount", "s3:dataaccesspointarn",
	}
}

group_name(uri) := "AllUsers (everyone)" if endswith(uri, "/AllUsers")

group_name(uri) := "AuthenticatedUsers (any AWS account)" if endswith(uri, "/AuthenticatedUsers")
