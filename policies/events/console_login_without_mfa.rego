# METADATA
# title: Console sign-in without MFA
# description: >-
#   An IAM user or the root user signed in to the AWS Management Console successfully without
#   multi-factor authentication (`additionalEventData.MFAUsed` is not "Yes"; a record without
#   the field counts as no MFA). Implements CIS 4.2 with the benchmark's reduced-false-positive
#   variant: only successful sign-ins, and federated sign-ins through IAM Identity Center (SSO)
#   or SAML are not flagged because MFA is enforced by the identity provider and CloudTrail
#   records them as role sessions. Unlike that variant, root sign-ins are included: a root
#   password without MFA is the worst case. Failed sign-ins are TGE006.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/cloudtrail-integration.html
# custom:
#   id: TGE002
#   name: console-login-without-mfa
#   severity: medium
#   kind: event
#   applies_to: [events]
#   aliases: ["TGE017"]
#   remediation:
#     events: >-
#       Confirm with the user that the sign-in was theirs (time, source IP, user agent). Require
#       MFA for the user (an IAM policy that denies everything without aws:MultiFactorAuthPresent,
#       or move the person to IAM Identity Center); for the root user, register an MFA device and
#       stop using root for daily work. If the sign-in is not recognised, reset the password,
#       deactivate the user's access keys and review what the session did.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.2", "1.10"]
#     pci-dss-v4.0: ["8.4.2"]
#     hipaa-security-rule: ["164.312(d)", "164.308(a)(5)(ii)(C)"]
#     nist-800-53-r5: ["IA-2(1)", "IA-2(2)"]
#     mitre-attack: ["T1078.004"]
#   selector:
#     eventSource: [signin.amazonaws.com]
#     eventName: [ConsoleLogin]
#     fields:
#       userIdentity.type: [IAMUser, Root]
package trailguard.events.console_login_without_mfa

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": input.userIdentity.arn, "evidence": evidence} if {
	input.eventName == "ConsoleLogin"
	input.eventSource == "signin.amazonaws.com"
	input.userIdentity.type in {"IAMUser", "Root"}
	input.responseElements.ConsoleLogin == "Success"
	not input.additionalEventData.MFAUsed == "Yes"
	msg := sprintf("%s signed in to the console without MFA%s", [actor.who(input), actor.where(input)])
	evidence := {
		"MFAUsed": object.get(actor.extra(input), "MFAUsed", "(not recorded)"),
		"LoginTo": object.get(actor.extra(input), "LoginTo", ""),
		"userAgent": object.get(input, "userAgent", ""),
	}
}
