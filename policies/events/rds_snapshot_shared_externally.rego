# METADATA
# title: RDS snapshot shared publicly or with an untrusted account
# description: >-
#   ModifyDBSnapshotAttribute or ModifyDBClusterSnapshotAttribute added restore permission for
#   everyone ("all") or for an account that is neither the owner nor listed in
#   `trusted_accounts`. The other account can restore a complete copy of the database. Failed
#   attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.exfiltration.rds-share-snapshot/
# custom:
#   id: TGE030
#   name: rds-snapshot-shared-externally
#   severity: high
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Remove the account from the snapshot's restore attribute (`aws rds
#       modify-db-snapshot-attribute --attribute-name restore --values-to-remove <id>`), check
#       whether the snapshot was copied, and treat the database's contents as exposed.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.2"]
#     hipaa-security-rule: ["164.312(a)(1)", "164.312(b)"]
#     nist-800-53-r5: ["AC-3", "SC-7"]
#     mitre-attack: ["T1537"]
#   params:
#     trusted_accounts: []
#     successful_only: false
#   selector:
#     eventSource: [rds.amazonaws.com]
#     eventName: [ModifyDBSnapshotAttribute, ModifyDBClusterSnapshotAttribute]
package trailguard.events.rds_snapshot_shared_externally

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": snapshot, "evidence": evidence} if {
	input.eventName in {"ModifyDBSnapshotAttribute", "ModifyDBClusterSnapshotAttribute"}
	input.eventSource == "rds.amazonaws.com"
	input.requestParameters.attributeName == "restore"
	count(grantees) > 0
	actor.counted(input)
	req := actor.request(input)
	snapshot := object.get(req, "dBSnapshotIdentifier", object.get(req, "dBClusterSnapshotIdentifier", "(unknown snapshot)"))
	msg := sprintf("%s shared RDS snapshot '%s' with %s%s%s", [actor.who(input), snapshot, concat(", ", sort(grantees)), actor.outcome(input), actor.where(input)])
	evidence := {"eventName": input.eventName, "snapshot": snapshot, "grantees": sort(grantees)}
}

grantees contains "everyone (public)" if {
	some value in actor.as_list(input.requestParameters.valuesToAdd)
	value == "all"
}

grantees contains sprintf("account %s", [value]) if {
	some value in actor.as_list(input.requestParameters.valuesToAdd)
	is_string(value)
	value != "all"
	actor.untrusted_account(value, input)
}
