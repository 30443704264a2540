# METADATA
# title: Console sign-in failed
# description: >-
#   A sign-in to the AWS Management Console failed (CIS 4.6). The benchmark matches
#   `errorMessage` "Failed authentication"; this rule also accepts any ConsoleLogin whose
#   `responseElements.ConsoleLogin` is "Failure", which covers unknown user names and failed
#   MFA. A few failures are typos; many from one address are password guessing, which TGA002
#   (console-sign-in-failure-burst) counts.
# related_resources:
#   - ref: https://docs.aws.amazon.com/awscloudtrail/latest/userguide/cloudtrail-event-reference-aws-console-sign-in-events.html
# custom:
#   id: TGE006
#   name: console-authentication-failure
#   severity: low
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Look for more failures for the same user name or from the same source IP. Repeated
#       failures followed by a success deserve a call to the user; lock out or reset the
#       credentials of users being guessed at, and require MFA so a guessed password is not
#       enough.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.6"]
#     pci-dss-v4.0: ["10.2.1.4"]
#     hipaa-security-rule: ["164.308(a)(5)(ii)(C)", "164.312(b)"]
#     nist-800-53-r5: ["AC-7", "AU-6"]
#     mitre-attack: ["T1110"]
#   memoize: true
#   selector:
#     eventSource: [signin.amazonaws.com]
#     eventName: [ConsoleLogin]
package trailguard.events.console_authentication_failure

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "evidence": evidence} if {
	input.eventName == "ConsoleLogin"
	input.eventSource == "signin.amazonaws.com"
	failed
	reason := object.get(input, "errorMessage", "Failure")
	msg := sprintf("console sign-in failed for %s%s (%s)", [actor.who(input), actor.where(input), reason])
	evidence := {
		"errorMessage": reason,
		"MFAUsed": object.get(actor.extra(input), "MFAUsed", "(not recorded)"),
		"userAgent": object.get(input, "userAgent", ""),
	}
}

failed if input.errorMessage == "Failed authentication"

failed if input.responseElements.ConsoleLogin == "Failure"
