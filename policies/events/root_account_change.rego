# METADATA
# title: Root user changed something or read secrets
# description: >-
#   The root user successfully made a call that changes the account (any call not marked
#   read-only, console sign-in included) or one of the sensitive reads (secrets, decrypted
#   parameters, KMS Decrypt, S3 GetObject, credential report, EC2 Windows passwords, session
#   or federation tokens). Calls AWS services make on root's behalf (`invokedBy`) and service
#   events are ignored, as in CIS 4.3. Root reads and failed root attempts are TGE003; the two
#   rules together report every CIS 4.3 event once. The `break_glass_principals` parameter does
#   not apply: root use is always reported.
# related_resources:
#   - ref: https://docs.aws.amazon.com/IAM/latest/UserGuide/root-user-tasks.html
# custom:
#   id: TGE016
#   name: root-account-change
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Treat as an incident until the person who used root is identified and the change is
#       explained. Review every call of the same root session (same source IP and access key),
#       revert unexpected changes, change the root password, rotate its MFA device and delete any
#       root access keys. Use IAM roles or centralised root access for the tasks that need root.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.3", "1.7"]
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(b)", "164.308(a)(1)(ii)(D)"]
#     nist-800-53-r5: ["AC-6(9)", "AC-2(12)", "AU-6"]
#     mitre-attack: ["T1078.001", "T1078.004"]
#   selector:
#     fields:
#       userIdentity.type: [Root]
package trailguard.events.root_account_change

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.userIdentity.type == "Root"
	not input.userIdentity.invokedBy
	not input.eventType == "AwsServiceEvent"
	actor.succeeded(input)
	change_or_sensitive_read
	resource := sprintf("arn:aws:iam::%s:root", [actor.account(input)])
	msg := sprintf("%s called %s%s", [actor.who(input), actor.action(input), actor.where(input)])
	evidence := {
		"eventSource": input.eventSource,
		"eventName": input.eventName,
		"readOnly": object.get(input, "readOnly", null),
		"requestParameters": object.get(input, "requestParameters", null),
	}
}

change_or_sensitive_read if not actor.read_only(input)

# Keep this set identical to the one in root_account_activity.rego (TGE003).
change_or_sensitive_read if input.eventName in {
	"BatchGetSecretValue", "Decrypt", "GetCredentialReport", "GetFederationToken", "GetObject",
	"GetParameter", "GetParameters", "GetParametersByPath", "GetPasswordData", "GetSecretValue",
	"GetSessionToken",
}
