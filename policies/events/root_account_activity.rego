# METADATA
# title: Root user activity (reads and failed attempts)
# description: >-
#   The root user made an API or console call that changed nothing: a read-only call, or an
#   attempt that failed. Together with TGE016 (root changes and sensitive reads) this covers
#   CIS 4.3 exactly: every call with `userIdentity.type` Root, no `invokedBy` and an eventType
#   other than AwsServiceEvent is reported by one of the two rules, never both, so root activity
#   is evidenced completely while the high-severity alerts stay on what matters. A failed root
#   call (for example a wrong root password at the console) is reported here unless
#   `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html
# custom:
#   id: TGE003
#   name: root-account-activity
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Root should only be used for the few tasks that require it. Find out who holds the root
#       credentials and why they were used; if nobody recognises the activity, change the root
#       password, rotate its MFA device and check for root access keys. Consider centralised
#       root access (AWS Organizations) so member accounts have no root credentials at all.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.3", "1.7"]
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["AC-6(9)", "AU-6"]
#     mitre-attack: ["T1078.001", "T1078.004"]
#   params:
#     successful_only: false
#   selector:
#     fields:
#       userIdentity.type: [Root]
package trailguard.events.root_account_activity

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.userIdentity.type == "Root"
	not input.userIdentity.invokedBy
	not input.eventType == "AwsServiceEvent"
	actor.counted(input)
	not_a_change
	resource := sprintf("arn:aws:iam::%s:root", [actor.account(input)])
	msg := sprintf("%s called %s%s%s", [actor.who(input), actor.action(input), actor.outcome(input), actor.where(input)])
	evidence := {
		"eventSource": input.eventSource,
		"eventName": input.eventName,
		"readOnly": object.get(input, "readOnly", null),
		"errorCode": object.get(input, "errorCode", null),
	}
}

# The complement of TGE016's condition (keep the two sets identical): a failed call, or a
# successful read that is not one of the sensitive reads.
not_a_change if input.errorCode

not_a_change if {
	actor.read_only(input)
	not input.eventName in {
		"BatchGetSecretValue", "Decrypt", "GetCredentialReport", "GetFederationToken", "GetObject",
		"GetParameter", "GetParameters", "GetParametersByPath", "GetPasswordData", "GetSecretValue",
		"GetSessionToken",
	}
}
