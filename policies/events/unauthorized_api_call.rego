# METADATA
# title: API call denied for lack of permission
# description: >-
#   A principal called an AWS API and was refused with an authorization error: an errorCode
#   ending in `UnauthorizedOperation` (EC2 style) or starting with `AccessDenied`. A few denials
#   are routine; a run of them from one principal is what enumerating the reach of stolen
#   credentials looks like. This implements the intent of CIS 4.1 as rewritten in CIS v4.0
#   (the v1.4-v3.0 filter text ORs in two inequalities and so matches every event, see
#   docs/event-rules.md), including its exclusions: S3 log delivery
#   (`sourceIPAddress` delivery.logs.amazonaws.com) and `HeadBucket` probes.
# related_resources:
#   - ref: https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html
# custom:
#   id: TGE001
#   name: unauthorized-api-call
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check whether the principal is expected to make this call. A single denial after a
#       deployment usually means a missing permission; many denials across services from one
#       principal or access key, especially for List/Describe/Get calls, suggest compromised
#       credentials being enumerated: review the principal's recent activity and source IPs and
#       rotate or disable its keys if the activity is not recognised.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.1"]
#     pci-dss-v4.0: ["10.2.1.4"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     mitre-attack: ["T1078.004"]
#   memoize: true
#   condition: violation
#   selector:
#     fields:
#       errorCode: ["*"]
package trailguard.events.unauthorized_api_call

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	violation
	code := input.errorCode
	msg := sprintf("%s was denied %s (%s)%s", [actor.who(input), actor.action(input), code, actor.where(input)])
	evidence := {
		"eventSource": input.eventSource,
		"eventName": input.eventName,
		"errorCode": code,
		# EC2 appends a long opaque "Encoded authorization failure message": keep the readable part.
		"errorMessage": split(error_message, " Encoded authorization failure message:")[0],
	}
}

# The METADATA `condition`: it holds exactly when `deny` has its one entry (everything `deny`
# adds to it is defined whenever it holds), so denials that cannot be listed are counted by
# this alone, without their message being made.
violation if {
	denied
	input.eventSource
	input.eventName
	not input.sourceIPAddress == "delivery.logs.amazonaws.com"
	not input.eventName == "HeadBucket"
}

# The readable message, "" when CloudTrail recorded none (or something other than text: the
# denial is reported all the same).
error_message := m if {
	m := input.errorMessage
	is_string(m)
} else := ""

# Rules, not a function of the code: a rule is evaluated once per record and costs the VM less
# than a call (docs/regorus-notes.md, "What the VM costs per call").
denied if {
	is_string(input.errorCode)
	startswith(input.errorCode, "AccessDenied")
}

denied if {
	is_string(input.errorCode)
	endswith(input.errorCode, "UnauthorizedOperation")
}
