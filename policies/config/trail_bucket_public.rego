# METADATA
# title: CloudTrail log bucket is public or not protected from public access
# description: |
#   The trail's S3 bucket holds a record of every API call in the account: who did what, from
#   where, to which resource. A public ACL, a grant to AllUsers or AuthenticatedUsers, or a
#   bucket policy that allows Principal "*" without a condition on the caller exposes it to
#   anyone. Without all four S3 Block Public Access settings, one later ACL or policy change is
#   enough to expose it.
# related_resources:
#   - https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html
#   - https://docs.aws.amazon.com/awscloudtrail/latest/userguide/create-s3-bucket-policy-for-cloudtrail.html
# custom:
#   id: TGC010
#   name: trail-bucket-public
#   severity: critical
#   kind: config
#   applies_to: [cloudformation, terraform-plan, terraform-hcl, live-export]
#   remediation:
#     cloudformation: 'On the AWS::S3::Bucket remove public `AccessControl` values and set `PublicAccessBlockConfiguration` with `BlockPublicAcls`, `IgnorePublicAcls`, `BlockPublicPolicy` and `RestrictPublicBuckets` all `true`; in the AWS::S3::BucketPolicy allow only `Service: cloudtrail.amazonaws.com` with an `aws:SourceArn` condition.'
#     terraform: 'Add an `aws_s3_bucket_public_access_block` with `block_public_acls`, `ignore_public_acls`, `block_public_policy` and `restrict_public_buckets` all `true`, drop public `acl` / `grant` settings, and allow only `cloudtrail.amazonaws.com` in the `aws_s3_bucket_policy` (with an `aws:SourceArn` condition).'
#     live: aws s3api put-public-access-block --bucket <bucket> --public-access-block-configuration BlockPublicAcls=true,IgnorePublicAcls=true,BlockPublicPolicy=true,RestrictPublicBuckets=true
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["2.1.4"]
#     pci-dss-v4.0: ["10.3.1", "10.3.2"]
#     pci-dss-v3.2.1: ["10.5.1", "10.5.2"]
#     hipaa-security-rule: ["164.312(a)(1)", "164.312(c)(1)"]
#     soc2: ["CC6.1"]
#     nist-800-53-r5: ["AC-3", "AC-6", "AU-9"]
package trailguard.config.trail_bucket_public

import rego.v1

import data.trailguard.lib.buckets

deny contains finding if {
	some b in buckets.trail_buckets
	reasons := buckets.public_reasons(b)
	count(reasons) > 0
	finding := {
		"msg": sprintf("%s %s: %s", [buckets.label(b), verdict(reasons), concat("; ", [r.text | some r in reasons])]),
		"resource": b.id,
		"loc": reasons[0].loc,
		"evidence": {"reasons": [object.remove(r, ["loc"]) | some r in reasons]},
	}
}

# The condition is a helper rule, not `some r in reasons` inline: a body that iterates must not
# precede an `else` (the regorus bytecode VM then skips the `else`, docs/regorus-notes.md).
verdict(reasons) := "is public" if exposed(reasons) else := "is not protected from public access"

# Some reason makes the bucket public now (not merely unprotected).
exposed(reasons) if {
	some r in reasons
	r.reason != "public_access_block"
}
