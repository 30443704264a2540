# METADATA
# title: DynamoDB table deleted
# description: >-
#   A DynamoDB table was deleted, with all its items (point-in-time recovery backups are removed
#   with it after the table is gone unless on-demand backups exist). Also answers "who deleted
#   this table?". Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://docs.aws.amazon.com/amazondynamodb/latest/developerguide/logging-using-cloudtrail.html
# custom:
#   id: TGE032
#   name: dynamodb-table-deleted
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the deletion was intended; if not, restore from the latest on-demand or AWS Backup
#       backup and enable deletion protection on the tables that matter
#       (`aws dynamodb update-table --deletion-protection-enabled`).
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.7"]
#     hipaa-security-rule: ["164.312(b)", "164.312(c)(1)"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     mitre-attack: ["T1485"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [dynamodb.amazonaws.com]
#     eventName: [DeleteTable]
package trailguard.events.dynamodb_table_deleted

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": table, "evidence": evidence} if {
	input.eventName == "DeleteTable"
	input.eventSource == "dynamodb.amazonaws.com"
	actor.counted(input)
	table := object.get(actor.request(input), "tableName", "(unknown table)")
	msg := sprintf("%s deleted DynamoDB table '%s'%s%s", [actor.who(input), table, actor.outcome(input), actor.where(input)])
	evidence := {"tableName": table, "awsRegion": object.get(input, "awsRegion", null), "errorCode": object.get(input, "errorCode", null)}
}
