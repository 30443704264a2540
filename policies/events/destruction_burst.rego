# METADATA
# title: Burst of data destruction by one principal
# description: >-
#   One principal deleted buckets (TGE031) or DynamoDB tables (TGE032), deleted objects in
#   protected buckets (TGE033) or disabled or scheduled the deletion of KMS keys (TGE007) at
#   least `destruction_burst` times (default 5) within one ten-minute window. Each of these
#   is reported on its own; several in minutes from one principal is what a destructive
#   attack (or a ransom note's prelude) looks like, rather than a change being rolled out.
#   Deletions that CloudFormation makes on a stack's behalf are not counted (the event rules
#   ignore service-invoked calls). Windows are fixed ten-minute slots aligned to UTC.
# custom:
#   id: TGA004
#   name: destruction-burst
#   severity: high
#   kind: aggregate
#   applies_to: [events]
#   remediation:
#     events: >-
#       Check whether the principal was tearing down an environment on purpose. If not, stop
#       it at once: deactivate its access keys or revoke its role sessions, cancel pending KMS
#       key deletions (aws kms cancel-key-deletion), and restore buckets and tables from
#       replicas or backups. Then find how the principal's credentials were obtained.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.7"]
#     hipaa-security-rule: ["164.312(b)", "164.312(c)(1)"]
#     nist-800-53-r5: ["AU-6", "SI-4"]
#     mitre-attack: ["T1485"]
#   params:
#     destruction_burst: 5
#   window:
#     counts: [TGE007, TGE031, TGE032, TGE033]
#     by: [principal]
#     length: 10m
#     at_least: destruction_burst
package trailguard.events.destruction_burst

import rego.v1

import data.trailguard.events.lib.burst

label := {
	"TGE007": "KMS keys disabled or scheduled for deletion",
	"TGE031": "buckets deleted",
	"TGE032": "DynamoDB tables deleted",
	"TGE033": "protected-object deletions",
}

deny contains {"msg": msg} if {
	input.count >= data.trailguard.params.destruction_burst
	what := concat(", ", sort([sprintf("%d %s", [n, object.get(label, id, id)]) | some id, n in input.rules]))
	msg := sprintf("%s destroyed data %d times between %s and %s%s: %s", [burst.principal(input), input.count, input.window.start, input.window.end, burst.outside(input), what])
}
