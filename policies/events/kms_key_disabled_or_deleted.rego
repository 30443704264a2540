# METADATA
# title: KMS key disabled or scheduled for deletion
# description: >-
#   A customer managed KMS key was disabled or scheduled for deletion (CIS 4.7). Data encrypted
#   under a deleted key is lost for good, and disabling keys is how ransomware-style attacks on
#   cloud data are staged, so this is also the pack's detection for that behaviour (the planned
#   separate KMS impact rule was folded into this one; its id TGE035 is an alias). Failed
#   attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/kms/latest/developerguide/deleting-keys.html
# custom:
#   id: TGE007
#   name: kms-key-disabled-or-deletion-scheduled
#   severity: medium
#   kind: event
#   applies_to: [events]
#   aliases: ["TGE035"]
#   remediation:
#     events: >-
#       If the change was not planned, cancel the deletion (`aws kms cancel-key-deletion`) and
#       re-enable the key (`aws kms enable-key`) before the waiting period ends, then find out
#       which data and services depend on the key and who changed it.
#   frameworks:
#     cis-aws-foundations-v3.0.0: ["4.7"]
#     pci-dss-v4.0: ["10.2.1.7"]
#     hipaa-security-rule: ["164.312(b)", "164.312(c)(1)"]
#     nist-800-53-r5: ["SC-12", "AU-6"]
#     mitre-attack: ["T1485", "T1486"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [kms.amazonaws.com]
#     eventName: [DisableKey, ScheduleKeyDeletion]
package trailguard.events.kms_key_disabled_or_deleted

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": key, "evidence": evidence} if {
	input.eventName in {"DisableKey", "ScheduleKeyDeletion"}
	input.eventSource == "kms.amazonaws.com"
	actor.counted(input)
	key := object.get(actor.request(input), "keyId", "(unknown key)")
	msg := sprintf("%s %s KMS key %s%s%s", [actor.who(input), what, key, actor.outcome(input), actor.where(input)])
	evidence := object.union(
		{"eventName": input.eventName, "keyId": key},
		object.filter(actor.request(input), {"pendingWindowInDays"}),
	)
}

what := sprintf("scheduled deletion in %v days of", [input.requestParameters.pendingWindowInDays]) if {
	input.eventName == "ScheduleKeyDeletion"
	input.requestParameters.pendingWindowInDays
} else := "scheduled deletion of" if {
	input.eventName == "ScheduleKeyDeletion"
} else := "disabled"
