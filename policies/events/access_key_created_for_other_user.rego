# METADATA
# title: Access key created for another user
# description: >-
#   A principal created an access key for an IAM user other than itself (a role session, or an
#   IAM user naming a different `userName`). Handing out keys for someone else's identity is the
#   classic way to keep access that survives the loss of the original credentials. Users creating
#   their own key are not reported; root creating its own access key is reported by TGE016.
#   Failed attempts count unless `successful_only` is true.
# related_resources:
#   - ref: https://stratus-red-team.cloud/attack-techniques/AWS/aws.persistence.iam-backdoor-user/
# custom:
#   id: TGE021
#   name: access-key-created-for-other-user
#   severity: medium
#   kind: event
#   applies_to: [events]
#   remediation:
#     events: >-
#       Ask the owner of the target user whether they requested the key. If not, deactivate and
#       delete it (`aws iam delete-access-key`), check `get-access-key-last-used` for use, and
#       review the creator's session.
#   frameworks:
#     pci-dss-v4.0: ["10.2.1.5"]
#     hipaa-security-rule: ["164.308(a)(4)(ii)(C)", "164.312(b)"]
#     nist-800-53-r5: ["IA-5", "AC-2"]
#     mitre-attack: ["T1098.001"]
#   params:
#     successful_only: false
#   selector:
#     eventSource: [iam.amazonaws.com]
#     eventName: [CreateAccessKey]
package trailguard.events.access_key_created_for_other_user

import rego.v1

import data.trailguard.events.lib.actor

deny contains {"msg": msg, "resource": target, "evidence": evidence} if {
	input.eventName == "CreateAccessKey"
	input.eventSource == "iam.amazonaws.com"
	target := input.requestParameters.userName
	is_string(target)
	not input.userIdentity.type == "Root"
	not own_key(target)
	actor.counted(input)
	key_id := object.get(object.get(actor.response(input), "accessKey", {}), "accessKeyId", null)
	msg := sprintf("%s created an access key for IAM user '%s'%s%s", [actor.who(input), target, actor.outcome(input), actor.where(input)])
	evidence := {"userName": target, "accessKeyId": key_id}
}

own_key(target) if {
	input.userIdentity.type == "IAMUser"
	input.userIdentity.userName == target
}
