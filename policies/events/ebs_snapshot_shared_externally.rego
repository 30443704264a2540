# METADATA
# title: EBS snapshot shared publicly or with an untrusted account
# description: >-
#   ModifySnapshotAttribute added create-volume permission for everyone (group "all") or for
#   an account that is neither the owner nor listed in `trusted_accounts`. Whoever receives the
#   permission can create a volume holding a full copy of the disk. Failed attempts count unless
#   `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.ec2-share-ebs-snapshot/
# custom:
#   id: TGE029
#   name: ebs-snapshot-shared-externally
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Remove the permission (`aws ec2 modify-snapshot-attribute --attribute
#       createVolumePermission --operation-type remove ...`), turn on EBS snapshot block public
#       access, and assume the disk's contents are in the other account's hands: rotate any
#       secrets it held.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(a)(1)", "164.312(b)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     mitre-attack: ["T1537"]
#   params:
#     trusted_accounts: []
#     successful_only: false
#   selector:
#     eventSource: [ec2.amazonaws.com]
#     eventName: [ModifySnapshotAttribute]
package trailguard.events.ebs_snapshot_shared_externally

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": snapshot, "evidence": evidence} if {
	input.eventName == "ModifySnapshotAttribute"
	input.eventSource == "ec2.amazonaws.com"
	count(grantees) > 0
	actor.counted(input)
	snapshot := object.get(actor.request(input), "snapshotId", "(unknown snapshot)")
	msg := sprintf("%s shared EBS snapshot %s with %s%s%s", [actor.who(input), snapshot, concat(", ", sort(grantees)), actor.outcome(input), actor.where(input)])
	evidence := {"snapshotId": snapshot, "grantees": sort(grantees)}
}

grantees contains "everyone (public)" if {
	some item in actor.items(input.requestParameters.createVolumePermission.add)
	item.group == "all"
}

grantees contains sprintf("account %s", [item.userId]) if {
	some item in actor.items(input.requestParameters.createVolumePermission.add)
	is_string(item.userId)
	actor.untrusted_account(item.userId, input)
}
