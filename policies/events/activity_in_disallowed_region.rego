# METADATA
# title: Changes made in a region outside the allowed list
# description: >-
#   A principal made a write call (any call not marked read-only) in a region that is not in the
#   `allowed_regions` parameter. Attackers launch miners and hide resources in regions nobody
#   watches. Calls to global services that CloudTrail records in us-east-1 (IAM, STS global
#   endpoint, Organizations, Route 53, CloudFront, Support, billing and account services) and
#   Global Accelerator (recorded in us-west-2) are not region activity and are skipped, as are
#   sign-in events, read-only calls and AWS service events. The rule is inactive while
#   `allowed_regions` is empty. It has no selector: the region test needs every record, so it
#   costs one cheap evaluation per record (it exits at once while the parameter is empty).
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-concepts.html#cloudtrail-concepts-global-service-events
# custom:
#   id: TGE026
#   name: activity-in-disallowed-region
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       List what was created in the region (`aws resourcegroupstaggingapi get-resources
#       --region <r>`, EC2 instances, Lambda functions) and remove what nobody owns. Deny unused
#       regions with an SCP on aws:RequestedRegion; if the region is legitimately used, add it to
#       `allowed_regions`.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.7"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["CM-7", "SI-4"]
#     mitre-attack: ["T1535"]
#   requires_params: [allowed_regions]
#   params:
#     allowed_regions: []
#     successful_only: false
package trailguard.events.activity_in_disallowed_region

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	# First and cheapest: this rule sees every record, and `!= []` is the fastest test that the
	# parameter is set (measured against count(...) > 0 and iteration).
	data.trailguard.params.allowed_regions != []
	region := input.awsRegion
	is_string(region)
	not region in {r | some r in data.trailguard.params.allowed_regions}
	input.eventType in {"AwsApiCall", "AwsConsoleAction"}
	not actor.read_only(input)
	not global_service(region)
	not input.eventSource == "signin.amazonaws.com"
	actor.counted(input)
	msg := sprintf("%s called %s in disallowed region %s%s%s", [actor.who(input), actor.action(input), region, actor.outcome(input), actor.where(input)])
	evidence := {"awsRegion": region, "eventSource": input.eventSource, "eventName": input.eventName}
}

# Services whose calls CloudTrail records in one fixed region whatever region the caller uses.
global_service(region) if {
	region == "us-east-1"
	input.eventSource in {
		"iam.amazonaws.com", "sts.amazonaws.com", "organizations.amazonaws.com", "route53.amazonaws.com",
		"route53domains.amazonaws.com", "cloudfront.amazonaws.com", "support.amazonaws.com",
		"health.amazonaws.com", "budgets.amazonaws.com", "ce.amazonaws.com", "account.amazonaws.com",
		"billingconsole.amazonaws.com", "shield.amazonaws.com", "waf.amazonaws.com",
		"trustedadvisor.amazonaws.com", "iam-identity-center.amazonaws.com", "notifications.amazonaws.com",
		"cur.amazonaws.com", "pricing.amazonaws.com", "savingsplans.amazonaws.com",
	}
}

global_service(region) if {
	region == "us-west-2"
	input.eventSource == "globalaccelerator.amazonaws.com"
}
