# METADATA
# title: IAM user created
# description: >-
#   A new IAM user was created. Organisations that give people access through IAM Identity
#   Center or roles rarely create IAM users, so a new one is often an attacker's foothold
#   (long-lived credentials that survive the loss of the original access). Failed attempts
#   count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-create-admin-user/
# custom:
#   id: TGE020
#   name: iam-user-created
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Confirm the user was requested. Check which policies, groups, access keys and login
#       profile it received in the calls that followed; delete users nobody owns and review the
#       creator's other activity.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.5"]
#     hipaa-security-rule: ["164.308(a)(4)(ii)(C)", "164.312(b)"]
#     nist-800-53-r5: ["AC-2", "AU-6"]
#     mitre-attack: ["T1136.003"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [iam.amazonaws.com]
#     eventName: [CreateUser]
package trailguard.events.iam_user_created

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": resource, "evidence": evidence} if {
	input.eventName == "CreateUser"
	input.eventSource == "iam.amazonaws.com"
	actor.counted(input)
	user := object.get(actor.request(input), "userName", "(unnamed)")
	resource := object.get(object.get(actor.response(input), "user", {}), "arn", user)
	msg := sprintf("%s created IAM user '%s'%s%s", [actor.who(input), user, actor.outcome(input), actor.where(input)])
	evidence := object.union({"userName": user}, object.filter(actor.request(input), {"path", "permissionsBoundary", "tags"}))
}
